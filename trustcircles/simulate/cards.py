"""The data cards (DATACARD.md) of the synthetic datasets, written at build time from the data.

Every number in a card is measured on the very files it describes (with :mod:`trustcircles.metrics`),
so a card can never drift from its dataset. Formatting is fixed (rounded figures) so the cards are
reproducible byte for byte like the data.
"""
from __future__ import annotations

import pandas as pd

from trustcircles import metrics

REGENERATE = """## How to regenerate
```
make datasets                              # or: python -m trustcircles datasets build
python -m trustcircles datasets check      # rebuild in a temporary folder, compare byte for byte
```
The simulators are seeded (numpy's `default_rng`), rows are sorted by time then `event_id`, and the
gzip header carries no time stamp, so a rebuild gives identical bytes on any machine with the pinned
environment (`requirements.lock`).
"""

KEY_NOTE = """The pseudonyms are keyed (HMAC-SHA256). For these *synthetic* datasets the key is derived
from the seed and a fixed label (`trustcircles.simulate.build.dataset_key`), so anyone can regenerate
the files and check them. That is acceptable only because no real person stands behind any simulated
identity: knowing the key reveals nothing about anybody. Real data (lesson 10) is anonymised with a
secret key kept per user (`trustcircles.anonymise.user_key`), never with a published one."""


def _fmt(value, digits: int = 2) -> str:
    if value is None or pd.isna(value):
        return "n/a"
    if isinstance(value, (int,)) or float(value).is_integer() and digits == 0:
        return f"{int(value):,}"
    return f"{float(value):.{digits}f}"


def _archetype_table(table: pd.DataFrame, accounts: pd.DataFrame) -> str:
    per_account = metrics.account_metrics(table)
    archetype = accounts.set_index("account")["archetype"]
    per_account = per_account.join(archetype, how="left")
    per_account["in_per_out"] = per_account["in_ties"] / per_account["out_ties"]
    columns = ["reciprocity", "median_tie_days", "opened_by_listening", "promotional_share",
               "answer_rate", "in_per_out", "circle_inner", "circle_close"]
    medians = per_account.groupby("archetype")[columns].median()
    sizes = per_account.groupby("archetype").size()
    lines = ["| archetype | accounts | " + " | ".join(columns) + " |",
             "|---|---:|" + "---:|" * len(columns)]
    for name, row in medians.iterrows():
        cells = [_fmt(row[c], 1 if c in ("median_tie_days", "circle_inner", "circle_close") else 2)
                 for c in columns]
        lines.append(f"| {name} | {sizes[name]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _calibration_table(table: pd.DataFrame, accounts: pd.DataFrame) -> str:
    from trustcircles.simulate import calibration as cal
    newcomers = accounts.loc[accounts["archetype"] == "newcomer", "account"]
    n = cal.newcomer_return(table, newcomers)
    r = cal.reciprocity_by_group(table, accounts)
    target = {k: v[0] for k, v in cal.TARGETS.items()}
    twitter = cal.mutual_pairs_to_tie_reciprocity(target["twitter_mutual_pairs"])
    from trustcircles.data import load_interactions
    college = metrics.global_reciprocity(load_interactions("collegemsg"))
    rows = [
        ("newcomers whose first question got a reply within 48 hours",
         f"{n['answered_share']:.0%} of {n['newcomers']}", f"{target['newcomer_first_post_answered']:.0%}",
         "Joyce and Kraut 2006 (first posts, any reply); calibrated"),
        ("answered newcomers who posted again (any post, reply, mention or DM later)",
         f"{n['posted_again_if_answered']:.0%} of {n['answered']}",
         f"{target['newcomer_posted_again_if_answered']:.0%}", "Joyce and Kraut 2006; calibrated"),
        ("newcomers not answered who posted again", f"{n['posted_again_if_not']:.0%} of {n['not_answered']}",
         f"{target['newcomer_posted_again_if_not']:.0%}", "Joyce and Kraut 2006; calibrated"),
        ("reciprocity of all ties", f"{r['all']:.3f}", f"{twitter:.3f}",
         "Twitter follows (Kwak et al. 2010: 22.1% of pairs, as a share of ties); not tuned"),
        ("reciprocity of ties without transactional accounts and trolls", f"{r['without_sellers']:.3f}",
         f"{college:.3f}", "CollegeMsg, computed by this course from the SNAP file; not tuned"),
    ]
    lines = ["| measured in this dataset | here | published | source |", "|---|---:|---:|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines) + (
        "\n\nA newcomer's first question here is a post or mention with a question, answered by a reply\n"
        "within 48 hours; Joyce and Kraut counted any reply to a first post in six Usenet groups, and\n"
        "\"posting again\" within their observation window. The other lessons' effects (tie lifetimes,\n"
        "listening first, answers by archetype, hostility, meetups) have no published size to calibrate to:\n"
        "their sizes are the simulator's.")


def community_card(config, table: pd.DataFrame, accounts: pd.DataFrame, shift) -> str:
    g = metrics.global_metrics(table)
    kinds = table["kind"].value_counts()
    first, last = table["timestamp"].min(), table["timestamp"].max()
    archetypes = accounts["archetype"].value_counts().sort_index()
    events_by_actor = table["actor"].value_counts()
    top = max(1, int(round(0.1 * g["accounts"])))
    top_share = events_by_actor.iloc[:top].sum() / len(table)
    return f"""# Data card: `community`

A synthetic professional online community over {config.weeks} weeks: {g['accounts']:,} accounts and
{g['events']:,} events (posts, replies, mentions, direct messages, likes, shares), made by a seeded
agent-based simulator and then anonymised exactly as a learner's own data would be.

## Motivation
The course contrasts *transactional* behaviour (cold pitches, self-promotion, broadcasting, attention
that vanishes when a sale is off) with *trust-building* behaviour (listening first, answering
questions, conversation, reciprocity, lasting mutual ties). Learners need data in which both exist
side by side and can be measured with the course's metrics ([METRICS.md](../../docs/METRICS.md)), without exposing anyone:
so the people are simulated, and each account's archetype is known (the "answer key").

## Composition
- One row per event in `interactions.csv.gz`; one row per account in `accounts.csv`.
- Window: {first:%Y-%m-%d} to {last:%Y-%m-%d} (shifted calendar, see below), {metrics.window_days(table):.1f} days.
- Events by kind: {", ".join(f"{k} {int(v):,}" for k, v in kinds.items())}.
- Accounts by archetype: {", ".join(f"{k} {int(v)}" for k, v in archetypes.items())}.
- Ties: {g['ties']:,} directed; global reciprocity {g['reciprocity']:.3f}; {g['questions']:,} questions,
  {g['questions_answered_rate']:.1%} answered within 48 hours.
- The most active tenth of the accounts did {top_share:.0%} of all events (heavy-tailed activity).

Medians per archetype, measured with `trustcircles.metrics` on the shipped file
(`in_per_out` = in_ties / out_ties):

{_archetype_table(table, accounts)}

## Collection process (simulation)
`trustcircles.simulate.community` (seed {config.seed}). Each simulated person acts hour by hour by the
rules of one archetype, drawn from the course's two source posts:
- **trust_builder**: opens contact by replying to what others said, answers questions quickly,
  personal and never promotional, keeps returning to people they know, keeps a few close friends in
  frequent touch (room for a handful weekly, some more monthly).
- **transactional**: cold pitches by mention and direct message to visible accounts, follows up
  0-3 times a few days apart, talks while a prospect answers, then drops the contact.
- **broadcaster**: a large audience, posts a lot, rarely replies (likes replies instead), a small
  inner circle.
- **listener**: mostly reads and likes, seldom posts, answers when asked.
- **troll**: hostile replies aimed at the most visible accounts (`is_hostile` true).
- **newcomer**: joins part-way, asks a first question and waits two days; an answer within 48
  hours raises the chance that they come back (the size of that effect is calibrated, see below).
- **outsourced**: an organisation's account run by a scheduling tool or an agency rather than by a
  person who is there: its posts are queued at a few fixed times of the week (on the hour or the
  half hour, weekends included) and written in the imperative; it replies only in office hours
  (Monday to Friday, 9:00 to 17:00), with a few canned texts and never by name; it never takes a
  second turn in a conversation. Lesson 12 tells it apart.

Texture: a daily and weekly rhythm (quiet nights and weekends), heavy-tailed activity (lognormal),
long-tailed reply latencies (lognormal), threads of replies, likes and shares. People who meet at the
in-person meetups (dataset `meetups`) get to know each other better online too. No target number is
pasted in: the figures above are measured on what the rules produced.

**What the rules decide.** Each archetype's probabilities (whom it answers, how it opens contact,
how long it keeps a tie) were chosen by hand so that the course's contrasts are visible: the
*direction* of every difference between archetypes is built into the rules
([`trustcircles/simulate/community.py`](../../trustcircles/simulate/community.py)). The data can show
how each behaviour leaves traces in a table and how to measure them; they are not evidence that
real people behave so.

## Calibration
Where a published study gives the size of an effect, the rules were set so that the shipped data
measure about that size, the way the study measured it (`trustcircles.simulate.calibration`; sources in
[REFERENCES.md](../../docs/REFERENCES.md)):

{_calibration_table(table, accounts)}

## Anonymisation and its guarantees
The raw simulation has realistic identities: full names, handles, e-mail addresses, phone numbers
and web addresses inside messages. It went through `trustcircles.anonymise.anonymise_interactions`:
- `actor`, `target`: keyed pseudonyms (`u` + 8 hex digits); `event_id`, `parent_id`: keyed
  pseudonyms (`e` + 12 hex digits).
- `timestamp`: every time moved by the same whole number of weeks, so durations, weekdays and hours
  are kept and the calendar dates say nothing.
- `text`: e-mail addresses, URLs, phone numbers, handles and every name from the simulator's name
  pools replaced by `<EMAIL>`, `<URL>`, `<PHONE>`, `<HANDLE>`, `<PERSON>`.
- `accounts.csv`: attributes generalised (`trustcircles.anonymise.generalise`) until every
  combination of the quasi-identifiers region, age_band, sector and joined is shared by at least 5
  accounts (k-anonymity, k = 5); rows that could not be kept so are fully generalised (`*`).
- The tests scan every shipped file for e-mail addresses, phone numbers, URLs, raw handles and pool
  names, check that the pseudonyms agree across files, and check k-anonymity.

{KEY_NOTE}

## Columns
`interactions.csv.gz` (the [METRICS.md](../../docs/METRICS.md) table plus two):

| column | meaning |
|---|---|
| event_id | the event (pseudonym) |
| timestamp | when, UTC (shifted calendar) |
| actor | the account that did it (pseudonym) |
| target | the account addressed: the parent's author for reply/like/share, the recipient for dm, the account named for mention; empty for post |
| kind | post, reply, mention, dm, like, share (a response inside a direct-message thread is a reply) |
| parent_id | the event responded to (replies, likes, shares, follow-up messages) |
| is_question | the message asks something |
| is_promotional | the message sells or promotes |
| text | scrubbed message text; empty for likes and shares |
| is_hostile | a hostile message (trolls) |

`accounts.csv`:

| column | meaning |
|---|---|
| account | pseudonym, as in `actor`/`target` |
| archetype | the simulated behaviour: trust_builder, transactional, broadcaster, listener, troll, newcomer, outsourced |
| region | one of four regions (where the person goes to meetups) |
| age_band | generalised age (a decade, or under 40 / 40 and over, or `*`) |
| sector | work sector, possibly generalised to private sector / public or non-profit, or `*` |
| joined | founding member, or the weeks in which a newcomer joined (possibly generalised) |

## Intended uses
Lessons and exercises of the course: computing and comparing the trust metrics per archetype,
recognising transactional versus trust-building patterns, circles of trust, newcomers and answers,
trolls, and (with `meetups`) online and in-person ties. Testing analysis code on realistic texture.

## Unsuitable uses
Any claim about real people, platforms or populations: the data are invented, and the proportions
of archetypes were chosen for teaching, not measured anywhere. Not for training classifiers meant for
real accounts, nor for judging any real person by these labels.

## Known limits
- Archetypes are pure types; real people mix them and change over time.
- Message text comes from a few hundred short templates; it reads naturally in a lesson but is far
  less varied than real writing. Questions are marked by a question mark.
- One time zone; no follower graph (attention is modelled through a feed weighted by visibility).
- Answers to questions in direct-message threads are modelled as replies, so [METRICS.md](../../docs/METRICS.md) counts them.

{REGENERATE}"""


def meetups_card(config, table: pd.DataFrame, attendance: pd.DataFrame, events: pd.DataFrame) -> str:
    people = attendance["account"].nunique()
    return f"""# Data card: `meetups`

Offline meetups of the `community` accounts: who attended which in-person event, so that lessons can
compare ties that also meet in person with ties that exist only online. Same people, same
pseudonyms and the same shifted calendar as `community`.

## Motivation
The second source post describes the layers of a relationship: online and face-to-face. Lesson 09
asks whether ties that also meet in person last longer than online-only ties.

## Composition
- `events.csv`: {len(events)} meetups (`event`, `date`, `region`, `attendees`), one every
  {config.meetup_every_days} days in each of {len(config.regions)} regions.
- `attendance.csv`: {len(attendance):,} rows (`account`, `event`, `date`), {people} distinct accounts.
- There is no interactions table here: load the attendance with
  `load_table("meetups", "attendance.csv")` and the online events with `load_interactions("community")`.

## Collection process (simulation)
Part of the same simulation as `community` (seed {config.seed}): every two weeks each region holds an
evening meetup; who goes depends on the archetype (trust builders most, trolls hardly ever) and
friends bring friends. At a meetup each person talks with a few of the others; people who met are
more likely to become friends online, and salespeople pitch the contacts they collected.

## Anonymisation and its guarantees
`account` uses the `community` pseudonyms (same key), dates are shifted by the same whole number of
weeks. Meetup identifiers (`meetup000` ...) and regions are not personal. {KEY_NOTE}

## Columns
| file | column | meaning |
|---|---|---|
| attendance.csv | account | pseudonym, as in `community` |
| attendance.csv | event | meetup identifier |
| attendance.csv | date | day of the meetup (shifted calendar) |
| events.csv | event, date, region, attendees | the meetup, its day, its region, how many came |

## Intended uses
Comparing ties that meet in person with online-only ties (e.g. their lifetime with
`trustcircles.metrics.ties`), co-attendance networks.

## Unsuitable uses
Claims about real events or people; causal claims: people who meet in person differ in other ways
too (trust builders go more often), so a difference in tie lifetime is an association.

## Known limits
Attendance is recorded per event, not who actually talked with whom there; four regions only.

{REGENERATE}"""


def workplace_card(config, table: pd.DataFrame, accounts: pd.DataFrame, teams: pd.DataFrame,
                   start) -> str:
    from trustcircles.simulate.workplace import (activity_by_band, weekly_active_share,
                                                 weeks_to_adoption)
    g = metrics.global_metrics(table)
    kinds = table["kind"].value_counts()
    weeks = weeks_to_adoption(weekly_active_share(table, accounts, start))
    style = teams.set_index("team")
    team_rows = "\n".join(
        f"| {team} | {style.loc[team, 'rollout_style']} | {style.loc[team, 'points_scheme']} | "
        f"{style.loc[team, 'staff']} | {_fmt(weeks.get(team), 0) if weeks.get(team) != float('inf') else 'not reached'} |"
        for team in style.index)
    by_style = pd.DataFrame({"weeks": weeks, "style": style["rollout_style"].reindex(weeks.index)})
    medians = by_style.groupby("style")["weeks"].median()
    bands = activity_by_band(table, accounts, teams)
    from trustcircles.simulate.workplace import HOME_SITE_SHARE, SAME_SITE_PREFERENCE
    share_home, preference = HOME_SITE_SHARE, SAME_SITE_PREFERENCE
    band_rows = "\n".join(f"| {band} | {row['no']:.2f} | {row['yes']:.2f} | {row['ratio']:.2f} |"
                          for band, row in bands.iterrows())
    return f"""# Data card: `workplace`

A synthetic organisation of {len(accounts)} staff in {len(teams) - 1} teams (plus a small
communications team) adopting an internal social platform over {config.weeks} weeks:
{g['events']:,} events (posts, replies, mentions, direct messages, likes), made by a seeded
agent-based simulator and anonymised like every course dataset.

## Motivation
The second source post argues that when an organisation adopts a platform, leaders have to lead by
example (use it, reply, ask), and that points and levelling up only move the competitive. Lesson 08
lets learners see both in data, and managers on the course recognise their own rollout.

## Composition
- `interactions.csv.gz`: the [METRICS.md](../../docs/METRICS.md) table (no text); events by kind:
  {", ".join(f"{k} {int(v):,}" for k, v in kinds.items())}.
- `accounts.csv`: one row per person; `teams.csv`: one row per team.
- Rollout per team, and the first week in which half of the team was active on the platform
  ("weekly active": did anything that week):

| team | rollout_style | points_scheme | staff | weeks to 50% weekly active |
|---|---|---|---:|---:|
{team_rows}

Median weeks to 50% weekly-active adoption: leader-led {medians.get('leader_led', float('nan')):.1f},
handed over {medians.get('handed_over', float('nan')):.1f}.

Mean events per week per person once on the platform (staff other than managers), by
competitiveness band, without and with a points-and-badges scheme (the same measure as lesson 08's
figure and exercise 08):

| band | no points | points | ratio |
|---|---:|---:|---:|
{band_rows}

## Collection process (simulation)
`trustcircles.simulate.workplace` (seed {config.seed}). Each person has an adoption threshold
(Granovetter, 1978): they start once the share of their team active in the last week reaches it, or
sooner when someone asks them by name; the communications team's announcements bring in a trickle.
In *leader-led* teams the manager is on from day one, posts, asks the team questions and mentions
people who are not on yet; in *handed-over* teams the manager starts like everyone else and uses it
little. In teams with *points and badges*, highly competitive people do more, the least competitive
slightly less (the rule multiplies their activity by 1.8 and 0.85; `trustcircles.simulate.workplace`).
Teams are distributed: each works from two of three sites ({share_home:.0%} of a team's staff at its home
site, with the manager); someone who mentions or messages a teammate picks one at their own site
{preference:g} times as readily, while replies in the team channel mix the sites (an invented rule).
**These sizes, like the leaders' head start, are invented**: no study the course cites measured them,
so the contrasts above show what the rules do, not how big such effects are in real organisations. Activity follows working hours and weekdays, with a heavy-tailed spread between
people. The adoption speeds and activity levels above are measured, not set.

## Anonymisation and its guarantees
Raw names and handles were replaced by keyed pseudonyms (`u` + 8 hex digits; events `e` + 12),
times moved by a whole number of weeks (weekdays and working hours kept), attributes generalised:
`accounts.csv` is k-anonymous (k = 5) on the quasi-identifiers team and site. The simulated grade
(junior, mid-level, senior) is not released: beside the team and the site it would single out
groups of two or three. A team's manager is singled out by `is_manager`, as in any organisation;
their competitiveness band (a survey answer) is therefore suppressed (`*`).
{KEY_NOTE}

## Columns
`interactions.csv.gz`: the [METRICS.md](../../docs/METRICS.md) columns (`is_promotional` is always false).

| file | column | meaning |
|---|---|---|
| accounts.csv | account | pseudonym, as in `actor`/`target` |
| accounts.csv | team | team A, B, ... or communications |
| accounts.csv | site | the office the person works from: north, south or east office (`*` if suppressed) |
| accounts.csv | is_manager | the team's manager |
| accounts.csv | competitiveness | low, medium, high (a survey band); `*` for managers |
| accounts.csv | rollout_style | leader_led, handed_over, or comms (the communications team) |
| teams.csv | team, rollout_style, points_scheme, staff | per team: how the platform was rolled out, whether points and badges ran, head count |

## Intended uses
Adoption curves by team, leading by example, the effect of gamification by competitiveness, internal
communication networks (who talks to whom across a team).

## Unsuitable uses
Claims about real organisations or about how big such effects are in reality: the mechanisms are
taken from the course's source posts and the threshold literature, their sizes are invented.
Judging real staff by a competitiveness band.

Lesson 12 measures the ties that cross sites (`trustcircles.topics.presence.site_ties`).

## Known limits
No message text; one platform, no e-mail or meetings; teams do not talk to each other; nobody
leaves the organisation; the communications team is not a rollout style to compare; sites differ
only in who people message by name (no time zones, no travel, no meetings in person).

{REGENERATE}"""


# --------------------------------------------------------------------------- norms and the audit

_ANONYMISED_LIKE_COMMUNITY = """The raw simulation went through `trustcircles.anonymise.anonymise_interactions` exactly like
`community` (keyed pseudonyms `u` + 8 hex digits and `e` + 12, every time moved by the same whole
number of weeks, names, handles, e-mail addresses, phone numbers and web addresses in the text
replaced by `<PERSON>`, `<HANDLE>`, `<EMAIL>`, `<PHONE>`, `<URL>`), and `accounts.csv` is
k-anonymous (k = 5) on region, age_band, sector and joined."""

_COMMUNITY_COLUMNS = """| column | meaning |
|---|---|
| event_id, timestamp, actor, target, kind, parent_id, is_question, is_promotional | the [METRICS.md](../../docs/METRICS.md) table, as in `community` |
| text | scrubbed message text; empty for likes and shares |
| is_hostile | a hostile message (trolls) |"""

_ACCOUNT_COLUMNS = """`accounts.csv`: account, archetype (trust_builder, transactional, broadcaster, listener, troll,
newcomer, outsourced), region, age_band, sector, joined, as in `community`."""


def _scenario_rows(table: pd.DataFrame, accounts: pd.DataFrame) -> str:
    from trustcircles.simulate import calibration as cal
    newcomers = accounts.loc[accounts["archetype"] == "newcomer", "account"]
    trolls = set(accounts.loc[accounts["archetype"] == "troll", "account"])
    rows = ["| scenario | events | newcomers answered within 48 h | newcomers who posted again | "
            "hostile messages, first 4 weeks | hostile messages, last 4 weeks | trolls still writing in the last 4 weeks |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    from trustcircles.simulate.community import NORMS_SCENARIOS
    for scenario in NORMS_SCENARIOS:
        part = table[table["scenario"] == scenario]
        n = cal.newcomer_return(part, newcomers)
        start, end = part["timestamp"].min(), part["timestamp"].max()
        hostile = part[part["is_hostile"]]
        early = int((hostile["timestamp"] < start + pd.Timedelta(weeks=4)).sum())
        late = hostile[hostile["timestamp"] >= end - pd.Timedelta(weeks=4)]
        still = len(set(late["actor"]) & trolls)
        rows.append(f"| {scenario} | {len(part):,} | {n['answered_share']:.0%} of {n['newcomers']} | "
                    f"{(n['answered'] * n['posted_again_if_answered'] + n['not_answered'] * n['posted_again_if_not']) / max(n['newcomers'], 1):.0%} | "
                    f"{early} | {len(late)} | {still} of {len(trolls)} |")
    return "\n".join(rows)


def norms_card(config, table: pd.DataFrame, accounts: pd.DataFrame) -> str:
    from trustcircles.simulate.community import NORMS_SCENARIOS
    from trustcircles.simulate.community import CALLOUT_CHANCE, CALLOUT_LIMIT, WELCOME_CHANCE
    archetypes = accounts["archetype"].value_counts().sort_index()
    scenarios = "\n".join(f"- **{name}**: " + (", ".join(f"`{n}`" for n in norms) or "no norm stated or kept")
                          for name, norms in NORMS_SCENARIOS.items())
    return f"""# Data card: `norms`

One synthetic community run four times: the same {len(accounts)} people with the same traits over
{config.weeks} weeks, each run with other rules stated and kept. It shows what happens to newcomers
and to hostility when a community's norms are stated and kept, against a community that does
neither. {len(table):,} events in all; **split the table by `scenario` before measuring anything**: the
four runs share their accounts, so metrics over the whole table would mix four communities.

## Motivation
*Creating our own circle of trust in Social Media* opens its norms with free membership under
shared rules: anyone may join and take part with full rights, as long as they respect the rules.
Lesson 11 asks what stating and keeping two such rules does, in data: every newcomer's first question
gets an answer, and hostility is called out.

## Composition
- `interactions.csv.gz`: the community table (as `community`) plus a column `scenario`:
{scenarios}
- `accounts.csv`: one row per account, the same in all four runs. Accounts by archetype:
  {", ".join(f"{k} {int(v)}" for k, v in archetypes.items())}.

Measured in each run (`trustcircles.simulate.calibration.newcomer_return` for newcomers):

{_scenario_rows(table, accounts)}

## Collection process (simulation)
`trustcircles.simulate.community` (seed {config.seed}), with `CommunityConfig.norms`:
- `welcome`: when a newcomer asks their first question, a member (a trust builder or a listener
  picked at random) answers it, with a chance of {WELCOME_CHANCE:.0%}, after their usual delay;
- `callout`: each hostile message is called out by a member who is neither its writer nor its
  target, with a chance of {CALLOUT_CHANCE:.0%}; an account called out {CALLOUT_LIMIT} times is asked to
  leave and writes nothing more (membership stays open to everyone who keeps the rules).
Everything else is the `community` simulator's rules, identical in the four runs; newcomers keep
arriving at the same times in all of them.

**What the simulation assumes.** That members keep the norms as often as these chances say; that
a troll who is called out three times leaves for good; that an answer changes whether a newcomer
comes back by the size Joyce and Kraut (2006) measured (the `community` calibration, see its card);
and that hostility does nothing else: nobody here leaves *because* they were attacked, and a
callout does not change how anyone else feels. The contrast between the runs is therefore built
into these rules; its size is the simulator's, not evidence about real communities.

## Anonymisation and its guarantees
{_ANONYMISED_LIKE_COMMUNITY} The four runs share one key, so the same person has the same
pseudonym in every run; their events are distinct. {KEY_NOTE}

## Columns
{_COMMUNITY_COLUMNS}
| scenario | which run: {", ".join(NORMS_SCENARIOS)} |

{_ACCOUNT_COLUMNS}

## Intended uses
Lesson 11 and its exercise: comparing newcomers' answers and returns, hostility over time and how
evenly the conversation is spread, between runs that differ only in their norms.

## Unsuitable uses
Any claim about how much real norms or real moderation change a community: the mechanism and its
size are the simulator's rules. Measuring anything over all four runs at once.

## Known limits
- The same limits as `community` (pure archetypes, template text, one time zone).
- Norms are kept mechanically; real members tire, disagree about what is hostile, and enforce rules
  unevenly. Hostility drives nobody away here, which real hostility does.

{REGENERATE}"""


def audit_card(config, table: pd.DataFrame, accounts: pd.DataFrame) -> str:
    g = metrics.global_metrics(table)
    kinds = table["kind"].value_counts()
    first, last = table["timestamp"].min(), table["timestamp"].max()
    archetypes = accounts["archetype"].value_counts().sort_index()
    return f"""# Data card: `audit_community`

A synthetic professional online community that no lesson shows: the community the capstone
exercise (`capstone_circle_audit`) asks you to audit. {g['accounts']:,} accounts and {g['events']:,}
events over {config.weeks} weeks, made by the same seeded simulator as `community` with another seed
and another mix of behaviours, then anonymised in the same way.

## Motivation
The course teaches each measure of a circle of trust on data learners come to know well. An audit
is the test of whether the measures travel: a community you have not seen, read with everything the
lessons taught (lesson 13 gathers the figures and explorers for it).

## Composition
- One row per event in `interactions.csv.gz`; one row per account in `accounts.csv`.
- Window: {first:%Y-%m-%d} to {last:%Y-%m-%d} (shifted calendar), {metrics.window_days(table):.1f} days.
- Events by kind: {", ".join(f"{k} {int(v):,}" for k, v in kinds.items())}.
- This card gives no measurement of the community on purpose: finding them is the audit.

## Collection process (simulation)
`trustcircles.simulate.community` (seed {config.seed}), the rules described in the `community` data
card, with another mix of archetypes (the answer key, below). No norms are stated or kept.

**What the rules decide.** As in `community`: the direction of every difference between
archetypes is built into the rules, so an audit of these data practises measurement; it says
nothing about real communities.

## Answer key (for trainers; read it after the audit)
`accounts.csv` names each account's simulated archetype, which a real audit would not have. Accounts
by archetype: {", ".join(f"{k} {int(v)}" for k, v in archetypes.items())}.

## Anonymisation and its guarantees
{_ANONYMISED_LIKE_COMMUNITY} {KEY_NOTE}

## Columns
{_COMMUNITY_COLUMNS}

{_ACCOUNT_COLUMNS}

## Intended uses
The capstone audit (lesson 13 and `capstone_circle_audit`); practising the course's measures on
data you have not seen.

## Unsuitable uses
Any claim about real people or communities; judging real accounts by these labels.

## Known limits
The same as `community`: pure archetypes, template text, one time zone, no follower graph.

{REGENERATE}"""
