"""Demo prospects: fictional companies around the world, and the people who work there."""

from __future__ import annotations

from typing import NamedTuple


class DemoAccount(NamedTuple):
    name: str
    domain: str
    industry: str
    employees: int
    country: str
    region: str | None
    city: str
    timezone: str
    fiscal_year_start: int | None
    rapport: str


ACCOUNTS: list[DemoAccount] = [
    DemoAccount("Harbor & Pine Logistics", "harborpine.com", "Logistics", 1800, "US",
                "Washington", "Seattle", "America/Los_Angeles", None,
                "Opened a second cross-dock in Tacoma this spring. Ops team runs a charity "
                "5k every October."),
    DemoAccount("Brightwater Health Partners", "brightwaterhealth.org", "Healthcare", 6400, "US",
                "Massachusetts", "Boston", "America/New_York", 10,
                "Fiscal year starts in October. Big on patient-experience awards; won one "
                "last year."),
    DemoAccount("Copperline Manufacturing", "copperline-mfg.com", "Manufacturing", 420, "US",
                "Ohio", "Columbus", "America/New_York", None,
                "Family-owned, third generation. CEO restores vintage tractors."),
    DemoAccount("Mesa Verde Credit Union", "mesaverdecu.org", "Financial services", 260, "US",
                "Arizona", "Phoenix", "America/Phoenix", 7,
                "Member-owned; board meets quarterly. Very careful with vendor risk."),
    DemoAccount("Quillfeather Media", "quillfeather.io", "Media", 45, "US", "New York",
                "Brooklyn", "America/New_York", None,
                "Podcast network. Founder answers her own email before 8 am."),
    DemoAccount("Summit Ridge Engineering", "summitridge.com", "Engineering services", 950,
                "US", "Colorado", "Denver", "America/Denver", None,
                "Just won a state infrastructure contract. Lots of hiring on their careers page."),
    DemoAccount("Thistle & Tweed Retail", "thistletweed.co.uk", "Retail", 2300, "GB",
                "Scotland", "Edinburgh", "Europe/London", 4,
                "Fiscal year from April. Christmas peak: don't call in December."),
    DemoAccount("Ashby Clarke Solicitors", "ashbyclarke.co.uk", "Legal", 140, "GB", "England",
                "Manchester", "Europe/London", 4,
                "Partners' meeting first Monday of the month. Managing partner is a cricket fan."),
    DemoAccount("Northgate Housing Trust", "northgatehousing.org.uk", "Non-profit", 610, "GB",
                "England", "Leeds", "Europe/London", 4,
                "Housing association; procurement via framework agreements."),
    DemoAccount("Foxglove Analytics", "foxglove-analytics.co.uk", "Software", 28, "GB",
                "England", "Bristol", "Europe/London", None,
                "Tiny, fast-growing. Two founders, both ex-consultants."),
    DemoAccount("Rheinblick Maschinenbau", "rheinblick-mb.de", "Manufacturing", 3200, "DE",
                "Nordrhein-Westfalen", "Düsseldorf", "Europe/Berlin", None,
                "Works council must approve any tool that tracks employees' work."),
    DemoAccount("Lindenhof Versicherung", "lindenhof-vers.de", "Insurance", 12500, "DE",
                "Bayern", "Munich", "Europe/Berlin", None,
                "Strict on data residency. Procurement runs tenders for anything over 50k."),
    DemoAccount("Nordwerk Energie", "nordwerk-energie.de", "Energy", 780, "DE", "Hamburg",
                "Hamburg", "Europe/Berlin", None,
                "Moving to renewables; new CIO since March."),
    DemoAccount("Kiezkaffee Rösterei", "kiezkaffee.de", "Food & beverage", 18, "DE", "Berlin",
                "Berlin", "Europe/Berlin", None,
                "Roastery with four cafés. Owner sends a bag of beans to new partners."),
    DemoAccount("Maison Lavande Cosmétiques", "maisonlavande.fr", "Consumer goods", 520, "FR",
                "Provence-Alpes-Côte d'Azur", "Marseille", "Europe/Paris", None,
                "August is dead. Launching a men's line next year."),
    DemoAccount("Groupe Ardoise Transports", "groupe-ardoise.fr", "Transportation", 4100, "FR",
                "Île-de-France", "Paris", "Europe/Paris", None,
                "Listed company; quiet period before results in February and July."),
    DemoAccount("Atelier Sept Études", "atelier7etudes.fr", "Consulting", 65, "FR",
                "Auvergne-Rhône-Alpes", "Lyon", "Europe/Paris", None,
                "Boutique consultancy. Partners love long lunches; call at 10 or after 15h."),
    DemoAccount("Maple Crest Foods", "maplecrestfoods.ca", "Food & beverage", 1350, "CA",
                "Ontario", "Toronto", "America/Toronto", 4,
                "Bilingual team; Quebec plant opened last year."),
    DemoAccount("Coastal Range Outfitters", "coastalrange.ca", "Retail", 190, "CA",
                "British Columbia", "Vancouver", "America/Vancouver", None,
                "Outdoor gear. Whole office goes skiing in February."),
    DemoAccount("Southern Cross Mining Services", "southerncrossms.com.au", "Mining", 2700,
                "AU", "Western Australia", "Perth", "Australia/Perth", 7,
                "Fiscal year from July. Fly-in fly-out rosters make meetings hard."),
    DemoAccount("Wattle & Gum Architects", "wattlegum.com.au", "Architecture", 55, "AU",
                "New South Wales", "Sydney", "Australia/Sydney", 7,
                "Award-winning library design in Parramatta. Principal cycles to work."),
    DemoAccount("Grachtenhuis Verzekeringen", "grachtenhuis.nl", "Insurance", 880, "NL",
                "Noord-Holland", "Amsterdam", "Europe/Amsterdam", None,
                "Direct communicators; appreciate short emails."),
    DemoAccount("Delta Polder Logistiek", "deltapolder.nl", "Logistics", 340, "NL",
                "Zuid-Holland", "Rotterdam", "Europe/Amsterdam", None,
                "Port logistics. Expanding to Antwerp."),
    DemoAccount("Azulejo Hoteles", "azulejohoteles.es", "Hospitality", 1600, "ES", "Andalucía",
                "Seville", "Europe/Madrid", None,
                "Hotel group, 14 properties. Busy season April to October."),
    DemoAccount("Sierra Nevada Renovables", "snrenovables.es", "Energy", 230, "ES", "Madrid",
                "Madrid", "Europe/Madrid", None,
                "Solar developer; just closed a Series B."),
    DemoAccount("Fjällbacka Design AB", "fjallbackadesign.se", "Furniture", 140, "SE",
                "Västra Götaland", "Gothenburg", "Europe/Stockholm", None,
                "Everyone is on holiday in July. Fika at 15:00 sharp."),
    DemoAccount("Norrsken Fintech", "norrsken-fintech.se", "Financial services", 75, "SE",
                "Stockholm", "Stockholm", "Europe/Stockholm", None,
                "Payments start-up. CTO speaks at meetups about data quality."),
    DemoAccount("Kaveri Software Services", "kaverisoft.in", "IT services", 8600, "IN",
                "Karnataka", "Bengaluru", "Asia/Kolkata", 4,
                "Fiscal year from April. Very process-driven; RFPs for everything."),
    DemoAccount("Lotus Pharma Distributors", "lotuspharmadist.in", "Pharmaceuticals", 1100,
                "IN", "Maharashtra", "Mumbai", "Asia/Kolkata", 4,
                "Diwali is the big season; avoid late October."),
    DemoAccount("Sakura Precision Components", "sakura-precision.co.jp", "Manufacturing",
                2400, "JP", "Aichi", "Nagoya", "Asia/Tokyo", 4,
                "Consensus decisions (ringi). Need Japanese materials."),
    DemoAccount("Kumo Retail Holdings", "kumoretail.jp", "Retail", 19800, "JP", "Tokyo",
                "Tokyo", "Asia/Tokyo", 4,
                "Huge chain. Digital transformation office set up last year."),
    DemoAccount("Ipê Agronegócios", "ipeagro.com.br", "Agriculture", 700, "BR", "Paraná",
                "Curitiba", "America/Sao_Paulo", None,
                "Harvest season keeps them busy Feb–May. Friendly, prefers WhatsApp."),
    DemoAccount("Carioca Digital Bank", "cariocadigital.com.br", "Financial services", 510,
                "BR", "Rio de Janeiro", "Rio de Janeiro", "America/Sao_Paulo", None,
                "Fast-moving neobank. Compliance team is sceptical of SaaS."),
    DemoAccount("Liffey Street Software", "liffeystreet.ie", "Software", 120, "IE", "Leinster",
                "Dublin", "Europe/Dublin", None,
                "Series A last year. CEO is ex-Stripe; values speed."),
    DemoAccount("Alpenglühen Uhren", "alpengluehen.ch", "Luxury goods", 5, "CH", "Bern",
                "Bern", "Europe/Zurich", None,
                "Watchmaker, five people. Owner does everything, including the books."),
    DemoAccount("Merlion Freight Systems", "merlionfreight.sg", "Logistics", 660, "SG", None,
                "Singapore", "Asia/Singapore", 4,
                "Regional hub for SEA. Fiscal year from April like the parent company."),
]

COUNTRY_NAMES = {
    "US": "the US", "GB": "the UK", "DE": "Germany", "FR": "France", "CA": "Canada",
    "AU": "Australia", "NL": "the Netherlands", "ES": "Spain", "SE": "Sweden", "IN": "India",
    "JP": "Japan", "BR": "Brazil", "IE": "Ireland", "CH": "Switzerland", "SG": "Singapore",
}

CURRENCIES = {
    "US": "USD", "GB": "GBP", "DE": "EUR", "FR": "EUR", "CA": "CAD", "AU": "AUD", "NL": "EUR",
    "ES": "EUR", "SE": "SEK", "IN": "INR", "JP": "JPY", "BR": "BRL", "IE": "EUR", "CH": "CHF",
    "SG": "SGD",
}
"""Deals are quoted in the prospect's currency; values scale by USD_RATE."""

USD_RATE = {"USD": 1.0, "GBP": 0.8, "EUR": 0.92, "CAD": 1.37, "AUD": 1.5, "SEK": 10.5,
            "INR": 83.0, "JPY": 150.0, "BRL": 5.0, "CHF": 0.88, "SGD": 1.34}

PHONE_PREFIX = {
    "US": "+1 ", "GB": "+44 ", "DE": "+49 ", "FR": "+33 ", "CA": "+1 ", "AU": "+61 ",
    "NL": "+31 ", "ES": "+34 ", "SE": "+46 ", "IN": "+91 ", "JP": "+81 ", "BR": "+55 ",
    "IE": "+353 ", "CH": "+41 ", "SG": "+65 ",
}

# first names (female, male) and family names by country group
_EN_F = ["Emma", "Olivia", "Grace", "Hannah", "Megan", "Rachel", "Claire", "Naomi", "Jess"]
_EN_M = ["James", "Daniel", "Owen", "Marcus", "Liam", "Ethan", "Graham", "Tom", "Ryan"]
_EN_L = ["Whitaker", "Brennan", "Okafor", "Lindqvist", "Morales", "Chen", "Harrington",
         "Patel", "Doyle", "Fletcher", "Nguyen", "Sutherland", "Reyes", "Kowalski"]
NAMES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "EN": (_EN_F, _EN_M, _EN_L),
    "DE": (["Anna", "Katrin", "Lena", "Sabine", "Miriam", "Jule"],
           ["Jonas", "Matthias", "Felix", "Tobias", "Stefan", "Lukas"],
           ["Hoffmann", "Becker", "Krüger", "Vogel", "Schäfer", "Brandt", "Lorenz", "Aydın"]),
    "FR": (["Camille", "Léa", "Margaux", "Inès", "Sophie", "Élise"],
           ["Julien", "Thomas", "Mathieu", "Antoine", "Hugo", "Karim"],
           ["Moreau", "Lefèvre", "Girard", "Fontaine", "Rousseau", "Benali", "Chevalier"]),
    "NL": (["Sanne", "Femke", "Lotte", "Anouk"], ["Daan", "Bram", "Sem", "Joost"],
           ["de Vries", "Jansen", "Visser", "Bakker", "van Dijk", "Smit"]),
    "ES": (["Lucía", "Marta", "Carmen", "Elena"], ["Javier", "Pablo", "Diego", "Álvaro"],
           ["García", "Navarro", "Ruiz", "Ortega", "Castillo", "Romero"]),
    "SE": (["Elin", "Maja", "Ingrid", "Sara"], ["Erik", "Oskar", "Nils", "Johan"],
           ["Lindberg", "Sjöberg", "Holm", "Nyström", "Ekdahl", "Berg"]),
    "IN": (["Priya", "Ananya", "Kavitha", "Meera", "Divya"],
           ["Arjun", "Rohan", "Vikram", "Sanjay", "Karthik"],
           ["Raman", "Iyer", "Sharma", "Menon", "Deshpande", "Reddy", "Kulkarni"]),
    "JP": (["Yuki", "Haruka", "Aiko", "Emi"], ["Takeshi", "Kenji", "Hiroshi", "Daisuke"],
           ["Tanaka", "Suzuki", "Watanabe", "Yamamoto", "Nakamura", "Kobayashi"]),
    "BR": (["Ana", "Juliana", "Fernanda", "Beatriz"], ["Rafael", "Thiago", "Lucas", "Bruno"],
           ["Silva", "Oliveira", "Costa", "Pereira", "Almeida", "Rocha"]),
}
NAME_GROUP = {"US": "EN", "GB": "EN", "CA": "EN", "AU": "EN", "IE": "EN", "SG": "EN",
              "DE": "DE", "CH": "DE", "FR": "FR", "NL": "NL", "ES": "ES", "SE": "SE",
              "IN": "IN", "JP": "JP", "BR": "BR"}

# role -> (department, title) choices
TITLES: dict[str, list[tuple[str, str]]] = {
    "gatekeeper": [("Office of the CEO", "Executive Assistant"), ("Reception", "Receptionist"),
                   ("Administration", "Office Manager"),
                   ("Executive Office", "PA to the Managing Director"),
                   ("Front Office", "Front Desk Coordinator")],
    "decision_maker": [("Operations", "Head of Operations"), ("Finance", "Finance Director"),
                       ("IT", "IT Director"), ("Operations", "VP Operations"),
                       ("Business Intelligence", "Head of Analytics"),
                       ("Shared Services", "Director of Shared Services")],
    "influencer": [("IT", "Enterprise Architect"), ("Finance", "Financial Controller"),
                   ("Operations", "Process Excellence Lead"), ("Procurement", "Senior Buyer"),
                   ("Business Intelligence", "Analytics Manager")],
    "user": [("Operations", "Operations Analyst"), ("Finance", "Accounts Payable Lead"),
             ("Customer Service", "Team Lead, Customer Care"), ("Engineering", "Data Engineer"),
             ("Supply Chain", "Planning Specialist")],
    "executive": [("Executive", "Chief Operating Officer"),
                  ("Executive", "Chief Financial Officer"),
                  ("Executive", "Chief Executive Officer")],
}
SMALL_TITLES = [("Executive", "Founder & CEO"), ("Executive", "Owner"),
                ("Executive", "Managing Director")]

HOOKS = {
    "harborpine.com": "the Tacoma cross-dock", "brightwaterhealth.org": "the patient award",
    "copperline-mfg.com": "the tractor restoration", "mesaverdecu.org": "the board meeting",
    "quillfeather.io": "the new podcast season", "summitridge.com": "the state contract",
    "thistletweed.co.uk": "the Christmas peak", "ashbyclarke.co.uk": "the cricket season",
    "northgatehousing.org.uk": "the framework renewal", "foxglove-analytics.co.uk": "the hiring",
    "rheinblick-mb.de": "the works council talks", "lindenhof-vers.de": "the data-residency review",
    "nordwerk-energie.de": "the new CIO's first months", "kiezkaffee.de": "the fourth café",
    "maisonlavande.fr": "the men's line launch", "groupe-ardoise.fr": "the results season",
    "atelier7etudes.fr": "the new partner", "maplecrestfoods.ca": "the Quebec plant",
    "coastalrange.ca": "the ski trip", "southerncrossms.com.au": "the new roster",
    "wattlegum.com.au": "the library award", "grachtenhuis.nl": "the office move",
    "deltapolder.nl": "the Antwerp expansion", "azulejohoteles.es": "the season's occupancy",
    "snrenovables.es": "the Series B", "fjallbackadesign.se": "the summer collection",
    "norrsken-fintech.se": "the meetup talk", "kaverisoft.in": "the RFP season",
    "lotuspharmadist.in": "the festive season", "sakura-precision.co.jp": "the new plant line",
    "kumoretail.jp": "the transformation office", "ipeagro.com.br": "the harvest",
    "cariocadigital.com.br": "the compliance review", "liffeystreet.ie": "the Series A hiring",
    "alpengluehen.ch": "the new collection", "merlionfreight.sg": "the hub expansion",
}
"""Small talk worth asking about on a check-in call (from the rapport notes)."""
