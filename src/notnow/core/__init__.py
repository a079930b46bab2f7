"""The pure domain: rules over plain data. No I/O, no ORM, no clock of its own."""
