"""Names, handles and message templates for the simulated people.

The raw simulated data carries realistic-looking identities (full names, @handles, e-mail
addresses, phone numbers, web addresses inside messages) on purpose: the shipped datasets are made
by passing that raw data through :mod:`trustcircles.anonymise`, exactly as a learner's own export
would be, so the tests can prove that nothing personal survives.

The name pools avoid given names and surnames that are also everyday English words ("Will",
"Grace", "Park", "Long"): the scrubber removes a name wherever it appears as a word, and the
privacy tests look for every pool name in every shipped file. Phone numbers use the ranges set
aside for drama and fiction (UK 020 7946 0xxx, US 555-01xx); e-mail and web addresses use the
reserved ``example`` domains, so no real person or company is ever named.
"""
from __future__ import annotations

import numpy as np

GIVEN_NAMES = (
    "Amara", "Oluwaseun", "Chiamaka", "Kwabena", "Nnamdi", "Folasade", "Tendai", "Zanele",
    "Priya", "Arjun", "Ananya", "Rohan", "Meenakshi", "Siddharth", "Farhana", "Imran",
    "Mei", "Xiaoling", "Haoran", "Yuki", "Haruto", "Minseo", "Jiwoo", "Thanh", "Linh",
    "Maria", "Alejandro", "Lucia", "Mateo", "Valentina", "Joaquin", "Camila", "Rodrigo",
    "Sofia", "Giulia", "Lorenzo", "Matteo", "Chiara", "Francesca", "Benedikt", "Annika",
    "Lukas", "Friederike", "Sanne", "Joris", "Maarten", "Ingrid", "Sigrid", "Astrid",
    "Aleksander", "Katarzyna", "Magdalena", "Tomasz", "Zofia", "Dmitri", "Olena", "Bohdan",
    "Leilani", "Kalani", "Aroha", "Wiremu", "Siobhan", "Niamh", "Padraig", "Eilidh",
    "Fatima", "Yusuf", "Layla", "Omar", "Khadija", "Tariq", "Samira", "Selin", "Emre",
    "Aylin", "Dorcas", "Efua", "Kofi", "Aisha", "Moana", "Ravi", "Deepika", "Kavya",
    "Jessamyn", "Marguerite", "Theodora", "Bartholomew", "Cormac", "Rhiannon", "Ifeoma",
    "Chinedu", "Anjali", "Soraya", "Dariusz", "Henrike", "Rasmus", "Mikkel", "Oskar",
)

SURNAMES = (
    "Okafor", "Adeyemi", "Mensah", "Nkosi", "Dlamini", "Mwangi", "Achebe", "Boateng",
    "Sharma", "Iyer", "Chatterjee", "Reddy", "Khanna", "Bhattacharya", "Rahman", "Qureshi",
    "Zhang", "Wang", "Nakamura", "Takahashi", "Yoshida", "Nguyen", "Tran", "Pham",
    "Gonzalez", "Fernandez", "Rodriguez", "Alvarez", "Castillo", "Morales", "Herrera",
    "Rossi", "Bianchi", "Esposito", "Ricci", "Lombardi", "Schneider", "Hoffmann", "Becker",
    "Vermeulen", "Janssen", "Lindqvist", "Johansson", "Nieminen", "Kowalski", "Nowak",
    "Wisniewska", "Shevchenko", "Kovalenko", "Ivanova", "Papadopoulos", "Georgiou",
    "Haddad", "Khoury", "Mansour", "Yilmaz", "Demir", "Kaya", "Ferreira", "Carvalho",
    "Oliveira", "Kealoha", "Ngata", "Tuhiwai", "Doherty", "Gallagher", "Fitzgerald",
    "Macleod", "Mackenzie", "Thorsen", "Halvorsen", "Abernathy", "Oyelaran", "Mahlangu",
)

#: Reserved domains (RFC 2606 style), so no real company is ever named.
MAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")
SITE_DOMAINS = ("example.com", "example.org", "example.net")

TOPICS = (
    "onboarding new members", "our moderation guidelines", "async stand-ups", "the quarterly survey",
    "remote facilitation", "writing good docs", "hiring for culture add", "accessibility checks",
    "community metrics", "running a book club", "mentoring juniors", "the open-source release",
    "burnout and boundaries", "pricing for freelancers", "public speaking nerves", "the new CMS",
    "event planning", "volunteer rotas", "newsletter writing", "user research interviews",
)

PRODUCTS = ("GrowthRocket", "LeadMagnetPro", "FunnelForge", "ReachMax", "ClickHarvest",
            "ScaleSuite", "BoostBot", "PipelinePal")

# Placeholders: {name} the addressee's given name, {other} a third person's given name,
# {handle} a third person's @handle, {topic}, {product}, {url}, {email}, {phone}.

TEMPLATES: dict[str, tuple[str, ...]] = {
    "question_post": (
        "Does anyone have tips for {topic}? Struggling a bit here.",
        "Quick question for the group: how do you handle {topic}?",
        "What has worked for you with {topic}? Keen to learn.",
        "Is there a good guide on {topic}? {handle} mentioned one once.",
        "How do people here approach {topic} when the team is small?",
        "Anyone tried a different way of doing {topic}? Ours keeps stalling.",
    ),
    "newcomer_question": (
        "Hi all, new here! How do you usually get started with {topic}?",
        "Hello, just joined. Can anyone point me to advice on {topic}?",
        "First post, be gentle :) What is the best first step for {topic}?",
        "Hi everyone, I'm new. Is this the right place to ask about {topic}?",
        "New member here. How did you learn {topic}? Any pointers welcome.",
    ),
    "helpful_post": (
        "Wrote up what we learned about {topic} this month, happy to share notes.",
        "Small win today with {topic}. Took three tries but it finally clicked.",
        "A thread on {topic}, the mistakes first because they taught me most.",
        "Grateful to everyone who helped me think through {topic} last week.",
        "Three things I wish I had known about {topic} a year ago.",
        "Reading group this week is on {topic}, all welcome.",
    ),
    "personal_reply": (
        "Thanks {name}, that's really kind. How did it go in the end?",
        "Love this, {name}. We tried something similar and it changed how the team talks.",
        "So good to hear from you {name}! Let's catch up properly soon.",
        "Ha, same here. {other} said almost the same thing yesterday.",
        "That sounds hard, {name}. Here if you want to talk it through.",
        "Really useful, thank you. Saving this for the next time {topic} comes up.",
        "Congratulations {name}! Well deserved.",
        "I hadn't thought of it that way. What made you change your mind?",
    ),
    "answer": (
        "Good question {name}! What helped us with {topic}: start small and ask people early.",
        "Hi {name}, welcome! For {topic} I'd ask {other}, they wrote a great piece on it.",
        "We had the same problem. Happy to share our notes, drop me a line at {email}.",
        "Short answer: yes. Longer answer in the write-up at {url}",
        "{name}, I'd try a short pilot first, then ask the group what felt off.",
        "It took us a while too. Ping {handle}, they ran {topic} for years.",
        "Happy to walk you through it, {name}. Call me on {phone} any afternoon.",
        "For {topic}: listen first, then write down what people actually asked for.",
    ),
    "checkin": (
        "Hey {name}, how are things going with {topic}?",
        "Thinking of you {name}, did the launch go well?",
        "Coffee next week, {name}? Want to hear how it's going.",
        "{name}! Saw your update, sounds like a big week. How are you holding up?",
        "Are you going to the meetup, {name}? Would be lovely to see you.",
    ),
    "checkin_reply": (
        "Going well, thanks for asking {name}! Slowly getting there.",
        "It was a big week. Thanks for checking in, it means a lot.",
        "Yes please, Thursday works. I'll bring the notes on {topic}.",
        "All good here. How about you, {name}?",
        "Better now, thanks {name}. {other} helped a lot too.",
    ),
    "pitch": (
        "Hi {name}, I help teams like yours 10x their reach with {product}. Quick look? {url}",
        "{name}, loved your profile! {product} could double your leads. Demo here: {url}",
        "Hey {name}, are you the right person to talk to about growth? Email me at {email}",
        "Hi {name}, we're offering 50% off {product} this week only. {url}",
        "{name}, let's hop on a call, {phone}, I can show you how {product} works in 15 min.",
    ),
    "followup": (
        "Hi {name}, just bumping this to the top of your inbox. Any thoughts?",
        "{name}, did you get a chance to look at {product}? Offer ends Friday.",
        "Following up again {name}, happy to jump on a quick call: {phone}",
        "Circling back {name}, still keen to show you {product}. {url}",
    ),
    "promo_post": (
        "{product} just hit 5,000 users! Limited spots left, sign up: {url}",
        "Want more leads? {product} is the answer. DM me or email {email}",
        "Last chance: {product} launch discount ends tonight. {url}",
        "Stop wasting time on {topic}. {product} automates it. {url}",
        "Big news: {product} now integrates with everything. Book a demo: {url}",
    ),
    "promo_reply": (
        "Great post! If you're working on {topic}, {product} can help: {url}",
        "So true. That's exactly why we built {product}. Check it out {url}",
        "Agree 100%. Happy to show you how {product} fixes this, {email}",
    ),
    "sales_chat": (
        "Thanks {name}! So what's your budget for this quarter?",
        "Great, {name}. I'll send the contract over, or call {phone} to finalise.",
        "Perfect, can we book 15 minutes this week, {name}?",
        "Understood {name}. Should I check back next month?",
    ),
    "polite_decline": (
        "Thanks {name}, not something we need right now, but good luck with it.",
        "Appreciate it {name}, we're all set for now.",
        "Thanks, not for us at the moment.",
    ),
    "broadcast_post": (
        "New episode out now: everything you wanted to know about {topic}. {url}",
        "My talk on {topic} is up, slides at {url}",
        "Hot take: most advice on {topic} is wrong. Thread below.",
        "Big announcement tomorrow. Stay tuned.",
        "Thanks for 20k followers! Next week: a live session on {topic}.",
        "Five lessons from ten years of {topic}.",
        "Interview with {other} about {topic} now live: {url}",
    ),
    "hostile": (
        "This is the most useless take on {topic} I've seen all year.",
        "Nobody asked. Log off.",
        "Typical. All talk and no substance, {name}.",
        "Imagine getting paid to write this rubbish.",
        "You clearly have no idea what you're talking about, {name}.",
        "Ratio. This aged badly.",
    ),
    "calm_reply_to_hostile": (
        "Sorry you feel that way. Happy to talk if you want to share what you disagree with.",
        "Fair to disagree. What would you do differently?",
    ),
    "thanks": (
        "Thank you so much {name}, that really helps!",
        "Thanks {name}, I'll try that this week.",
        "Brilliant, thanks {name}. Glad I asked.",
        "That's so helpful, thank you {name}!",
    ),
    "listener_reply": (
        "Thanks for sharing this, {name}.",
        "Agreed, this matches what we saw too.",
        "Useful, thank you {name}.",
        "+1, well put.",
    ),
    "introduction": (
        "{name}, have you met {other}? You two should talk about {topic}.",
        "Looping in {name}: you asked about {topic} last week and {other} knows it well.",
    ),
    # An account run by a scheduling tool or an agency: posts queued in advance, in the imperative,
    # and the same few replies pasted in office hours (no names, no follow-up).
    "scheduled_post": (
        "Don't miss our new guide to {topic}. Read it here: {url}",
        "Tip of the day: make {topic} simple. Find out more at {url}",
        "Join our free webinar on {topic} this Thursday. Register now: {url}",
        "Download our latest report on {topic}: {url}",
        "Follow us for more tips on {topic}!",
        "New on the blog: five ways to improve {topic}. {url}",
        "Save the date: a roundtable on {topic} is coming soon. Sign up at {url}",
    ),
    "canned_reply": (
        "Thanks for reaching out! Please send us a DM and our team will get back to you.",
        "Thank you for your comment. We appreciate your feedback!",
        "Thanks for sharing! We love hearing from our community.",
        "Great point. Find more resources on our website: {url}",
    ),
    # Norms stated and kept: a member calls out a hostile message (no question mark: it is not a
    # question waiting for an answer).
    "callout": (
        "Not OK, {name}. Our guidelines ask us to argue with ideas, not people.",
        "Let's keep it kind here, {name}. You're welcome to disagree, without the insults.",
        "{name}, that's not how we talk to each other in this group. Please read the community rules.",
    ),
}


def fill(template: str, rng: np.random.Generator, *, name: str = "", other: str = "",
         handle: str = "", email: str = "", phone: str = "", url: str = "") -> str:
    """One message: a template with its placeholders filled in (unused values are ignored)."""
    return template.format(
        name=name or "there", other=other or "someone", handle=handle or "someone",
        topic=TOPICS[int(rng.integers(len(TOPICS)))],
        product=PRODUCTS[int(rng.integers(len(PRODUCTS)))],
        email=email or "hello@example.com", phone=phone or "+44 20 7946 0000",
        url=url or "https://www.example.com")


def make_identities(count: int, rng: np.random.Generator) -> dict[str, list[str]]:
    """``count`` distinct fictitious people: full name, given name, handle, e-mail, phone, website.

    Handles are built from the names in a few styles (``@amara_okafor``, ``@aokafor42``), e-mails
    on reserved example domains, phone numbers in the fiction ranges (UK 020 7946 0xxx, US
    555-01xx).
    """
    seen: set[str] = set()
    given, full, handles, emails, phones, sites = [], [], [], [], [], []
    while len(full) < count:
        first = GIVEN_NAMES[int(rng.integers(len(GIVEN_NAMES)))]
        last = SURNAMES[int(rng.integers(len(SURNAMES)))]
        style = int(rng.integers(3))
        number = int(rng.integers(10, 99))
        handle = (f"{first}_{last}" if style == 0 else f"{first[0]}{last}{number}" if style == 1
                  else f"{last}.{first}").lower()
        if f"{first} {last}" in seen or handle in seen:
            continue
        seen.update((f"{first} {last}", handle))
        given.append(first)
        full.append(f"{first} {last}")
        handles.append("@" + handle)
        emails.append(f"{first}.{last}{number}@{MAIL_DOMAINS[int(rng.integers(len(MAIL_DOMAINS)))]}".lower())
        if rng.random() < 0.5:
            phones.append(f"+44 20 7946 0{int(rng.integers(0, 1000)):03d}")
        else:
            phones.append(f"({int(rng.integers(201, 990))}) 555-01{int(rng.integers(0, 100)):02d}")
        sites.append(f"https://www.{last.lower()}-{first.lower()}.{SITE_DOMAINS[int(rng.integers(3))]}/about")
    return {"full_name": full, "given_name": given, "handle": handles, "email": emails,
            "phone": phones, "website": sites}
