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
| archetype | the simulated behaviour: trust_builder, transactional, broadcaster, listener, troll, newcomer |
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
**These sizes, like the leaders' head start, are invented**: no study the course cites measured them,
so the contrasts above show what the rules do, not how big such effects are in real organisations. Activity follows working hours and weekdays, with a heavy-tailed spread between
people. The adoption speeds and activity levels above are measured, not set.

## Anonymisation and its guarantees
Raw names and handles were replaced by keyed pseudonyms (`u` + 8 hex digits; events `e` + 12),
times moved by a whole number of weeks (weekdays and working hours kept), attributes generalised:
`accounts.csv` is k-anonymous (k = 5) on the quasi-identifiers team and role (role generalised to
junior or mid-level / senior where needed). A team's manager is singled out by `is_manager`, as
in any organisation; their competitiveness band (a survey answer) is therefore suppressed (`*`).
{KEY_NOTE}

## Columns
`interactions.csv.gz`: the [METRICS.md](../../docs/METRICS.md) columns (`is_promotional` is always false).

| file | column | meaning |
|---|---|---|
| accounts.csv | account | pseudonym, as in `actor`/`target` |
| accounts.csv | team | team A, B, ... or communications |
| accounts.csv | role | junior, mid-level, senior (or generalised) |
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

## Known limits
No message text; one platform, no e-mail or meetings; teams do not talk to each other much; nobody
leaves the organisation; the communications team is not a rollout style to compare.

{REGENERATE}"""
