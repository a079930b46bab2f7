"""How each time-hint head pattern can start: written by
scripts/gen_shipped.py from the patterns (`timehints_lexicon.part_openings`); do
not edit by hand.
"""

from __future__ import annotations

PART_OPENINGS: dict[str, frozenset[str] | None] = {
    'span': frozenset({
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'a-', 'a-a', 'a-b', 'a-d', 'a-e',
        'a-f', 'a-m', 'a-o', 'a-q', 'a-w', 'a-y', 'aad', 'abu', 'ada', 'aex', 'afo', 'afu',
        'amn', 'amo', 'amt', 'an', 'aot', 'aqt', 'aqu', 'awe', 'awk', 'awo', 'aye', 'ayr',
        'cou', 'eig', 'ele', 'few', 'fif', 'fiv', 'for', 'fou', 'hal', 'nin', 'one', 'sev',
        'six', 'ten', 'thi', 'thr', 'twe', 'two',
    }),
    'iso': frozenset({
        '20',
    }),
    'md': frozenset({
        'apr', 'aug', 'dec', 'feb', 'fri', 'jan', 'jul', 'jun', 'mar', 'may', 'mon', 'nov',
        'oco', 'oct', 'sat', 'sep', 'sun', 'thr', 'thu', 'tue', 'wed', 'wen',
    }),
    'dm': frozenset({
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'fri', 'mon', 'sat', 'sun', 'the',
        'thr', 'thu', 'tue', 'wed', 'wen',
    }),
    'slash': frozenset({
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
    }),
    'quarter': frozenset({
        '1q', "1q'", '1q2', '1qf', '1qo', '1st', '2nd', '2q', "2q'", '2q2', '2qf', '2qo', '3q',
        "3q'", '3q2', '3qf', '3qo', '3rd', '4q', "4q'", '4q2', '4qf', '4qo', '4th', 'fin',
        'fir', 'fou', 'las', 'q', 'q1', "q1'", 'q12', 'q1f', 'q1o', 'q2', "q2'", 'q22', 'q2f',
        'q2o', 'q3', "q3'", 'q32', 'q3f', 'q3o', 'q4', "q4'", 'q42', 'q4f', 'q4o', 'sec', 'thi',
    }),
    'ordinal': frozenset({
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
    }),
    'half': frozenset({
        'h1', "h1'", 'h12', 'h2', "h2'", 'h22',
    }),
    'thistime': frozenset({
        'abo', 'aro', 'sam', 'thi',
    }),
    'pend': frozenset({
        'eom', 'eoq', 'eow', 'eoy', 'mon', 'qua', 'yea',
    }),
    'hol': frozenset({
        '4th', 'bla', 'chr', 'eas', 'fes', 'fir', 'fou', 'hol', 'ind', 'lab', 'mem', 'mid',
        'new', 'tax', 'tha', 'the', 'tur', 'win', 'x-m', 'xma',
    }),
    'tmrw': frozenset({
        'day', 'the', 'tmr', 'tom',
    }),
    'fiscal': frozenset({
        'bud', 'fin', 'fis', 'fy', "fy'", 'fye',
    }),
    'season': frozenset({
        'aut', 'fal', 'spr', 'sum', 'win',
    }),
    'year': frozenset({
        '202', '203', '204', '205', '206', '207', '208', '209',
    }),
    'month': frozenset({
        'apr', 'aug', 'dec', 'feb', 'jan', 'jul', 'jun', 'mar', 'may', 'nov', 'oco', 'oct',
        'sep',
    }),
    'weekday': frozenset({
        'fri', 'mon', 'sat', 'sun', 'thr', 'thu', 'tue', 'wed', 'wen',
    }),
    'period': frozenset({
        'mon', 'qtr', 'qua', 'wee', 'yea', 'yr',
    }),
    'vague': frozenset({
        'ano', 'at', 'che', 'cir', 'dow', 'eve', 'for', 'in', 'int', 'kee', 'lat', 'nex', 'not',
        'one', 'rea', 'rev', 'rig', 'som', 'soo', 'sta', 'tou', 'whe',
    }),
}
