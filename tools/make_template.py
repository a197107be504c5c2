"""Write lessons/_template.ipynb, the skeleton every lesson follows (run once; then edit by hand)."""
from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nbtools import write_notebook  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

CELLS = [
    ("markdown", """
# Lesson NN: Title in plain words

*Online in Person* · one sentence that says what this lesson shows in data.

> **Template.** Copy this notebook to `lessons/NN_slug.ipynb` and replace every part. Keep the
> headings and their order: learners rely on finding the same parts in every lesson. Keep code cells
> short (a few lines); logic lives in `trustcircles`.
"""),
    ("markdown", """
## Objectives

After this lesson you will be able to:

- name ... ;
- measure ... in an interaction table;
- tell ... apart from ... in data.

**Time:** about 25 minutes (15 to read and explore, 10 for the exercise).
"""),
    ("markdown", """
## The idea and its source

Two or three short paragraphs that paraphrase the idea and cite the post by its title, e.g.
*"Building Circles of Trust"* or *"Creating our own circle of trust in Social Media"*. A short quote
with attribution is fine; copying paragraphs is not.
"""),
    ("markdown", """
## The data

Which dataset, what one row is, which columns matter here. Data always come through
`trustcircles.data`, never a file path, so the notebook works from any folder.
"""),
    ("code", """
from trustcircles.data import load_interactions

table = load_interactions("worked_example")
table.head()
"""),
    ("markdown", """
## Figure

**What it shows:** one sentence saying what the figure shows, placed right beside it.
"""),
    ("code", """
import plotly.graph_objects as go

counts = table["kind"].value_counts().sort_index()
figure = go.Figure(go.Bar(x=counts.index, y=counts.values, marker_color="#0072B2",
                          hovertemplate="%{x}: %{y} events<extra></extra>"))
figure.update_layout(title="Events by kind", xaxis_title="kind of event",
                     yaxis_title="events (count)")
figure
"""),
    ("markdown", """
## Explore

An ipywidgets control whose callback recomputes from the data and updates a plotly figure and a
plain-language reading beside it ("this account answered 2 of 17 questions"). Build the widget in
`trustcircles.widgets` and show it here in one line.
"""),
    ("code", """
import ipywidgets as widgets

accounts = sorted(set(table["actor"]))
picker = widgets.Dropdown(options=accounts, description="account")
reading = widgets.Label()

def show(change=None):
    mine = table[table["actor"] == picker.value]
    reading.value = f"{picker.value} did {len(mine)} things in this table."

picker.observe(show, names="value")
show()
widgets.VBox([picker, reading])
"""),
    ("markdown", """
## Interpretation

What the learner should take from the figure and the exploration, in plain words, setting the
transactional pattern against the trust-building one.
"""),
    ("markdown", """
## Try this

1. A prompt that makes the learner move the widget and notice something.
2. A prompt that connects the data to their own experience.
"""),
    ("markdown", """
> **For managers** (manager-path lessons only): one or two workplace takeaways.
"""),
    ("markdown", """
## Key points

- One idea per bullet, as a full sentence.
"""),
    ("markdown", """
## Exercise

Practise this in [the exercise for this lesson](../exercises/NN_slug/NN_slug.ipynb): each question
checks itself as you go, and `hint("q1")`-style hints are there when you want one.
"""),
    ("markdown", """
<details>
<summary><b>Facilitator notes</b> (for trainers)</summary>

- **Timing:** ...
- **Discussion prompts:** ...
- **Common misconceptions:** ...

</details>
"""),
]

if __name__ == "__main__":
    write_notebook(ROOT / "lessons" / "_template.ipynb", CELLS)
