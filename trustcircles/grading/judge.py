"""Marks decided outside the learner's kernel, and a reason for every mark lost.

The grading process decides every autograded mark itself (:class:`Judge`); the learner's kernel only
runs the notebook and, after it, the probe (:mod:`trustcircles.checks.probe`):

* **Part A** answers are literals: read from the answer cells' source
  (:func:`trustcircles.checks.reading.literal_answer`) and judged here (``ReadingQuestion.decide``);
* **Part B**: the probe calls the learner's function by name on the notebook's table and on small
  edge-case tables made at grading time (``Question.grading_cases`` with a seed from a per-course
  secret, the assignment and the student: the same tables on a re-run, unknowable in advance), and
  hands back the results as plain values; they are compared here (``Question.judge_notebook`` and
  ``judge_cases``) with the right answers computed here.

Each test cell then gets the outside decision as its output ("Correct (q1): ..." or the "Not yet"
message as an error), so nbgrader's SaveAutoGrades records exactly these decisions in the gradebook,
which stays the record. Patching the checker, redefining ``ex``, printing fake results or hard-coding
the known tables earns nothing, because none of that reaches the comparison.

Beside the marks it names what the notebook did (:class:`Finding`): answers that call the course's
own reference (``used_reference``, by reading the source and by the trace of what the function
reached), tampering (``tampered``: the source, the fingerprints of the course's code and ``ex`` in
the kernel, and the sandbox's audit events), limits reached (``over_limit``) and honest trouble
(a renamed or missing function, an answer cell below its check, a file from the learner's own
computer, an error in an answer cell, shell commands not run, output trimmed).
"""
from __future__ import annotations

import ast
import dataclasses
import hashlib
import hmac
import os
import pickle
import re
import secrets
import sys
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor
from trustcircles.grading.collect import cell_source
from trustcircles.grading.course import GradingError
from trustcircles.grading.prepare import (CHECK_PLACEHOLDER, is_learners, is_test_cell, label, meta,
                                          neutralise_cells, read_source, test_cells_out)

#: the file in the course directory holding the secret the edge-case tables' seeds come from
SECRET_FILE = ".grading-secret"
#: seconds each call of a learner's function may take in the probe
CALL_SECONDS = 10
#: modules whose functions are plumbing (loading, validating), not a reference answer
_PLUMBING = ("trustcircles.data", "trustcircles.schema", "trustcircles.prefetch", "trustcircles.checks.compare",
             "trustcircles.checks.tables", "trustcircles.checks.cases", "trustcircles.topics.community")
REFERENCE_POLICIES = ("keep", "zero")


@dataclasses.dataclass(frozen=True)
class Check:
    """One autograded test cell of the source notebook: ``ex.<question>.<method>(<argument>)``."""
    grade_id: str
    question: str
    method: str          # "check" or "check_function"
    argument: str        # the name it is given: answer_a1, count_kinds, answer_q1
    points: float


@dataclasses.dataclass
class Decision:
    passed: bool
    message: str         # what the learner reads under the check
    decided_on: str      # what the mark was decided on, in words


@dataclasses.dataclass(frozen=True)
class Finding:
    """Something grades.csv says about a notebook: ``kind`` (one of :data:`FINDING_KINDS`) and text."""
    kind: str
    text: str
    question: str = ""


#: finding kind -> (status it gives, or "", words for the summary line)
FINDING_KINDS = {
    "tampered": ("tampered", "tampering"),
    "used_reference": ("used_reference", "used the course's reference"),
    "over_limit": ("over_limit", "a sandbox limit reached"),
    "wall_time": ("timed_out", "stopped at the notebook's time limit"),
    "missing_function": ("", "renamed or missing function"),
    "answer_below_check": ("", "answer cell below its check"),
    "local_path": ("", "file from the learner's own computer"),
    "answer_error": ("", "error in an answer cell"),
    "shell": ("", "shell commands not run"),
    "output_trimmed": ("", "output trimmed"),
}


def checks_of(source_nb: dict) -> list[Check]:
    """The autograded test cells of a source notebook, each ``ex.qN.check(name)`` or
    ``ex.qN.check_function(name)`` (the marks are decided outside the notebook, so no other test
    code can be graded): GradingError naming the cell otherwise."""
    out = []
    for cell in source_nb.get("cells", []):
        if not is_test_cell(cell):
            continue
        gid = meta(cell)["grade_id"]
        calls = []
        try:
            tree = ast.parse(cell_source(cell))
        except SyntaxError:
            tree = None
        for node in ast.walk(tree) if tree else []:
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("check", "check_function")
                    and isinstance(node.func.value, ast.Attribute)
                    and isinstance(node.func.value.value, ast.Name) and node.func.value.value.id == "ex"
                    and len(node.args) == 1 and isinstance(node.args[0], ast.Name)):
                calls.append((node.func.value.attr, node.func.attr, node.args[0].id))
        if len(calls) != 1:
            raise GradingError(f"test cell {gid}", "is not one call ex.qN.check(name) or "
                               "ex.qN.check_function(name): grading decides marks outside the learner's "
                               "notebook and runs no other test code.",
                               "write the test cell as in solutions/00_welcome (TRAINERS.md, 'Writing an exercise').")
        question, method, argument = calls[0]
        out.append(Check(gid, question, method, argument, float(meta(cell).get("points", 0))))
    return out


def seed_for(course: Path, assignment: str, student: str) -> int:
    """The seed of one learner's edge-case tables: from the course's secret (made once, kept in the
    course directory, never inside a sandbox), the assignment and the student."""
    path = Path(course) / SECRET_FILE
    if not path.is_file():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
    key = path.read_text().strip().encode()
    digest = hmac.new(key, f"{assignment}/{student}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") % 2_000_000_000


def _reached(function, *args) -> set[str]:
    """The course's functions (module.qualname) that calling ``function`` reaches."""
    package = str(Path(__file__).resolve().parent.parent)
    reached: set[str] = set()

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_filename.startswith(package):
            reached.add(f"{frame.f_globals.get('__name__', '?')}.{frame.f_code.co_qualname}")
    old = sys.getprofile()
    sys.setprofile(profile)
    try:
        function(*args)
    finally:
        sys.setprofile(old)
    return reached


def _words(text: str) -> str:
    return text[0].lower() + text[1:] if text else text


class Judge:
    """One assignment's checks, judged outside the kernel (one per grading process and assignment)."""

    def __init__(self, assignment: str, source_nb: dict):
        from trustcircles.checks import exercise
        from trustcircles.checks.question import Question
        from trustcircles.checks.reading import ReadingQuestion

        self.assignment = assignment
        self.ex = exercise(assignment)
        self.checks = checks_of(source_nb)
        self.package = str(Path(__file__).resolve().parent.parent)
        for check in self.checks:
            question = self.ex.questions.get(check.question)
            if question is None:
                raise GradingError(f"test cell {check.grade_id}", f"names ex.{check.question}, which "
                                   f"exercise({assignment!r}) does not have.", "fix the test cell or the questions.")
            if check.method == "check_function" and not isinstance(question, Question):
                raise GradingError(f"test cell {check.grade_id}", "calls check_function on a Part A question.",
                                   "use ex.aN.check(answer_aN).")
        self._part_a = {q for q, question in self.ex.questions.items() if isinstance(question, ReadingQuestion)}
        self._references: dict[str, set[str]] | None = None
        self._notebook_tables: dict = {}
        self._manifests: dict = {}

    # ---- what the reference answers use
    def references(self) -> dict[str, set[str]]:
        """question -> the course functions its right answer reaches (module.qualname), plumbing aside."""
        if self._references is None:
            import warnings
            refs = {}
            for name, question in self.ex.questions.items():
                if name in self._part_a:
                    continue
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    table, args = self._notebook_table(name)
                    reached = _reached(question.expected, table.copy(), *args)
                refs[name] = {r for r in reached if not r.startswith(_PLUMBING)}
            self._references = refs
        return self._references

    def reference_names(self) -> dict[str, set[str]]:
        """question -> the plain names (e.g. 'ties') of the reference's public course functions."""
        return {q: {r.rsplit(".", 1)[-1] for r in refs if not r.rsplit(".", 1)[-1].startswith("_")
                    and ".checks." not in r} for q, refs in self.references().items()}

    def _notebook_table(self, name: str):
        if name not in self._notebook_tables:
            question = self.ex.questions[name]
            self._notebook_tables[name] = (question.table(), tuple(question.notebook_args()))
        return self._notebook_tables[name]

    # ---- the probe's request
    def request(self, seed: int, inputs: Path, inside) -> dict:
        """Write the probe's request and tables into ``inputs``; return the cases per check."""
        calls, tables, cases = [], {}, {}
        for check in self.checks:
            if check.question in self._part_a:
                continue
            question = self.ex.questions[check.question]
            if check.method == "check":
                key = f"notebook:{check.question}"
                tables[key] = self._notebook_table(check.question)
                calls.append({"id": check.grade_id, "name": check.argument, "value_ok": True,
                              "arity": 1 + len(tables[key][1]), "table": key, "seconds": CALL_SECONDS})
            else:
                cases[check.grade_id] = question.grading_cases(seed)
                for number, (_, table, args) in enumerate(cases[check.grade_id]):
                    key = f"{check.grade_id}#{number}"
                    tables[key] = (table, tuple(args))
                    calls.append({"id": key, "name": check.argument, "value_ok": False,
                                  "arity": 1 + len(args), "table": key, "seconds": CALL_SECONDS})
        with open(inputs / "tables.pkl", "wb") as out:
            pickle.dump(tables, out, protocol=pickle.HIGHEST_PROTOCOL)
        with open(inputs / "probe.pkl", "wb") as out:
            pickle.dump({"calls": calls, "table_files": [inside("tables.pkl")], "package": self.package},
                        out, protocol=pickle.HIGHEST_PROTOCOL)
        return cases

    def probe_code(self, inside) -> str:
        """What the kernel runs after the notebook: the probe, loaded from its file by path."""
        probe = Path(self.package) / "checks" / "probe.py"
        return ("import importlib.util as _tc_util\n"
                f"_tc_spec = _tc_util.spec_from_file_location('_trustcircles_probe', {str(probe)!r})\n"
                "_tc_probe = _tc_util.module_from_spec(_tc_spec)\n"
                "_tc_spec.loader.exec_module(_tc_probe)\n"
                f"_tc_probe.run({inside('probe.pkl')!r}, globals())\n")

    # ---- decisions
    def decide(self, nb, state: dict) -> tuple[dict[str, Decision], list[Finding]]:
        """A decision for every test cell, and the findings, from the notebook and the run."""
        from trustcircles.checks.probe import decode
        from trustcircles.checks.question import Tried

        findings: list[Finding] = []
        probe = state.get("probe") or {}
        results = probe.get("calls", {}) if isinstance(probe, dict) else {}
        errors = self._cell_errors(nb, findings)
        unavailable = self._why_not_tried(state)
        decisions: dict[str, Decision] = {}
        order = {label(c, i): i for i, c in enumerate(nb["cells"])}
        for check in self.checks:
            question = self.ex.questions[check.question]
            answer_cell = f"{check.question}_answer"
            if answer_cell in order and check.grade_id in order and order[answer_cell] > order[check.grade_id]:
                findings.append(Finding("answer_below_check", f"{answer_cell} comes after {check.grade_id}; "
                                        "graded with the answer as it was at the end of the notebook"))
            if check.question in self._part_a:
                decisions[check.grade_id] = self._decide_part_a(nb, question)
                continue
            fname = check.argument
            if check.method == "check":
                tried, extra = self._tried(results.get(check.grade_id), fname, "the notebook's data",
                                           unavailable, errors.get(answer_cell), findings, decode, Tried)
                value = fname.startswith("answer_")
                right, sentence = question.judge_notebook(tried, None if value else fname)
                on = (f"{fname} at the end of your notebook" if value
                      else f"{fname} on the notebook's own table")
            else:
                cases = state["cases"][check.grade_id]
                tries, extra = [], ""
                for number, (description, _, _) in enumerate(cases):
                    tried, more = self._tried(results.get(f"{check.grade_id}#{number}"), fname, description,
                                              unavailable, errors.get(answer_cell), findings, decode, Tried)
                    extra = extra or more
                    tries.append(tried)
                right, sentence = question.judge_cases(tries, cases, fname)
                on = (f"{fname} on {len(cases)} small table{'s' if len(cases) != 1 else ''} made at grading "
                      "time: " + "; ".join(description for description, _, _ in cases))
            if extra and not right:
                sentence = f"{sentence} {extra}"
            hint = "" if right or not question.hint_text else f"\nHint: {question.hint_text}  (ex.{check.question}.hint())"
            decisions[check.grade_id] = Decision(right, sentence + hint, on)
        self._references_used(nb, results, findings)
        self._tampering(nb, probe, state, findings)
        self._limits(nb, state, findings)
        for cell_id, escapes in state.get("shell", []):
            findings.append(Finding("shell", f"{cell_id}: shell commands not run when graded ({', '.join(escapes)[:120]})"))
        if state.get("reference_policy") == "zero":
            flagged = {f.question for f in findings if f.kind == "used_reference"}
            for check in self.checks:
                if check.question in flagged and decisions[check.grade_id].passed:
                    decisions[check.grade_id] = Decision(
                        False, "this answer uses the course's own reference answer instead of computing it, "
                        "which your trainer counts as not answered.", decisions[check.grade_id].decided_on)
        for index, size in sorted(state.get("dropped_output", {}).items()):
            findings.append(Finding("output_trimmed", f"{label(nb['cells'][index], index)}: {size // 1000} kB of "
                                    "output left out while it ran"))
        return decisions, list(dict.fromkeys(findings))

    def _decide_part_a(self, nb, question) -> Decision:
        from trustcircles.checks.reading import literal_answer

        name = question.answer_name
        found, problem = None, ""
        for cell in nb["cells"]:
            if not is_learners(cell) or not re.search(rf"^\s*{name}\s*=", cell_source(cell), re.M):
                continue
            try:
                found, problem = literal_answer(cell_source(cell), name), ""
            except ValueError as error:
                if "no line" not in str(error):
                    found, problem = None, str(error)
        if problem:
            return Decision(False, problem + (f"\nHint: {question.hint_text}  (ex.{question.name}.hint())"
                                              if question.hint_text else ""), f"your {name} as written in your notebook")
        right, sentence = question.decide(found)
        hint = "" if right or not question.hint_text else f"\nHint: {question.hint_text}  (ex.{question.name}.hint())"
        return Decision(right, sentence + hint, f"your {name} as written in your notebook")

    @staticmethod
    def _why_not_tried(state) -> str:
        died = state.get("died_at")
        if died == "probe":
            return "the notebook stopped Python while its functions were being tried"
        if died is not None:
            return "the notebook stopped Python before its functions could be tried"
        if state.get("probe_error") and not state.get("probe"):
            return f"the functions could not be tried ({state['probe_error'][:120]})"
        return ""

    def _tried(self, result, fname, where, unavailable, answer_error, findings, decode, Tried):
        """(Tried, extra sentence) from one probe result."""
        from trustcircles.checks.question import call_failure

        if unavailable and not result:
            return Tried(failure=f"{fname} could not be tried: {unavailable}."), ""
        if not isinstance(result, dict):
            return Tried(failure=f"{fname} could not be tried."), ""
        status = result.get("status")
        if status == "ok":
            try:
                return Tried(decode(result.get("value"))), ""
            except (ValueError, KeyError, TypeError):
                return Tried(failure=f"{fname} gave a result that could not be read."), ""
        if status == "missing":
            if fname.startswith("answer_"):
                text = f"{fname} is not defined in the notebook."
            else:
                text = f"there is no function named {fname} in the notebook"
                candidates = self._likely(fname, result.get("candidates", []))
                if candidates:
                    text += (f"; {', '.join(candidates)} {'has' if len(candidates) == 1 else 'have'} the same "
                             f"parameters: was it renamed? Name it {fname} again.")
                else:
                    text += f": write it in its answer cell under that name."
                if answer_error:
                    text += f" (Its answer cell stopped with {answer_error} before defining it.)"
            findings.append(Finding("missing_function", text[:300]))
            return Tried(failure=text if text.endswith((".", ")")) else text + "."), ""
        if status == "not_function":
            return Tried(failure=f"{fname} is not a function in the notebook (it is {result.get('value', {}).get('type', 'a value')})."), ""
        if status == "not_written":
            return Tried(failure=call_failure(fname, "NotImplementedError", "", where)), ""
        if status == "timeout":
            return Tried(failure=f"{fname} took longer than {CALL_SECONDS} s when given {where}."), ""
        if status == "too_large":
            return Tried(failure=f"{fname} gave a result too large to be an answer when given {where}."), ""
        if status == "error":
            ename, evalue = str(result.get("ename", "Error")), str(result.get("evalue", ""))
            failure = call_failure(fname, ename, evalue, where)
            extra = ""
            if ename in ("FileNotFoundError", "IsADirectoryError") or "No such file" in evalue:
                path = result.get("filename") or _missing_path(evalue)
                extra = _local_path_sentence(path)
                findings.append(Finding("local_path", f"{fname} reads {path!s}, a file from the learner's own "
                                        "computer (not part of the course)"))
            return Tried(failure=failure), extra
        return Tried(failure=f"{fname} could not be tried."), ""

    def _likely(self, fname: str, candidates) -> list[str]:
        """The notebook's functions with the same parameters that could be ``fname`` renamed: not one
        another check asks for, most similar name first (at most two)."""
        import difflib

        taken = {c.argument for c in self.checks}
        names = [str(c)[:80] for c in candidates if isinstance(c, str) and str(c).split("(")[0] not in taken]
        names.sort(key=lambda c: -difflib.SequenceMatcher(None, fname, c.split("(")[0]).ratio())
        return names[:2]

    def _cell_errors(self, nb, findings) -> dict[str, str]:
        """Errors in the learner's cells while the notebook ran: label -> 'Name: message'."""
        out = {}
        for index, cell in enumerate(nb["cells"]):
            if not is_learners(cell):
                continue
            for output in cell.get("outputs", []):
                if output.get("output_type") != "error" or output.get("ename") == "CellTimeoutError":
                    continue
                where = label(cell, index)
                ename, evalue = str(output.get("ename", "")), str(output.get("evalue", ""))[:160]
                out[where] = f"{ename}: {evalue}"
                path = _missing_path(evalue) if ename == "FileNotFoundError" else None
                if path:
                    findings.append(Finding("local_path", f"{where} reads {path}, a file from the learner's own "
                                            "computer (not part of the course)"))
                elif ename in ("MemoryError",) or "File too large" in evalue or "No space left" in evalue or (
                        ename == "BlockingIOError" and "Resource temporarily unavailable" in evalue):
                    findings.append(Finding("over_limit", f"{where} reached a sandbox limit ({ename}: {evalue[:80]})"))
                else:
                    findings.append(Finding("answer_error", f"{where} stopped with {ename}: {evalue[:100]}"))
        return out

    def _references_used(self, nb, results, findings) -> None:
        refs = self.references()
        source = read_source(nb, self.reference_names())
        for question, text in source.reference:
            findings.append(Finding("used_reference", f"{question + ': ' if question else ''}{text}", question))
        for check in self.checks:
            if check.question in self._part_a:
                continue
            allowed = refs.get(check.question, set())
            for call_id, result in results.items():
                if not (call_id == check.grade_id or call_id.startswith(check.grade_id + "#")):
                    continue
                if not isinstance(result, dict):
                    continue
                reached = {str(r)[:120] for r in result.get("reached", [])}
                used = sorted(r for r in reached if r in allowed or (".checks." in r and "probe" not in r
                                                                   and not r.startswith(_PLUMBING)))
                if used:
                    used.sort(key=lambda r: (".checks." not in r, r))
                    findings.append(Finding("used_reference", f"{check.question}: {check.argument} reaches "
                                            f"{', '.join(used[:2])}, the course's own way to compute it",
                                            check.question))
                    break
                if result.get("trace_kept") is False:
                    findings.append(Finding("tampered", f"{check.question}: {check.argument} switched off "
                                            "grading's trace (sys.setprofile)"))
                    break

    def _tampering(self, nb, probe, state, findings) -> None:
        from trustcircles.checks.probe import exercise_fingerprint, manifest

        for text in read_source(nb, {}).tampering:
            findings.append(Finding("tampered", text))
        kernel = probe.get("manifest") if isinstance(probe, dict) else None
        if isinstance(kernel, dict):
            import importlib
            modules = {}
            for key in kernel:
                name = key
                while name and name not in modules:
                    try:
                        modules[name] = importlib.import_module(name)
                        break
                    except ImportError:
                        name = name.rpartition(".")[0]
            key = frozenset(modules)
            if key not in self._manifests:     # this process's own code does not change during a run
                self._manifests[key] = manifest(modules)
            here = self._manifests[key]
            changed = sorted(k for k in kernel if k in here and kernel[k] != here[k])
            added = sorted(k for k in kernel if k not in here and k.rpartition(".")[0] in here)
            if changed or added:
                findings.append(Finding("tampered", "changed the course's code in its kernel: "
                                        + ", ".join((changed + added)[:4])
                                        + (f" and {len(changed + added) - 4} more" if len(changed + added) > 4 else "")))
            ex = probe.get("ex")
            fresh = exercise_fingerprint(self.ex)
            if isinstance(ex, dict) and ex != fresh:
                what = ("ex is not the exercise's checker" if ex.get("type") != fresh["type"]
                        or ex.get("assignment") != fresh["assignment"] else "ex's questions were changed")
                findings.append(Finding("tampered", f"at the end of the notebook {what}"))
        for event in state.get("audit", []):
            kind, detail = event.get("kind"), event.get("detail", "")
            if kind == "write":
                findings.append(Finding("tampered", f"tried to write outside its folder ({detail[:100]}; refused)"))
            elif kind == "network":
                findings.append(Finding("tampered", f"tried to use the network ({detail[:80]}; there is none)"))
            elif kind == "process":
                findings.append(Finding("tampered", f"started a program ({detail[:300]})"))
            elif kind == "patch":
                findings.append(Finding("tampered", f"changed the course's class {detail[:80]}"))
            elif kind in ("signal", "native", "audit"):
                findings.append(Finding("tampered", f"{detail[:300]}"))
            elif kind == "fork" and "at least 100" in detail:
                findings.append(Finding("over_limit", f"started new processes over and over ({detail[:60]}); "
                                        "the process limit stopped them"))

    def _limits(self, nb, state, findings) -> None:
        limits = state["plan"].limits
        skipped = state.get("skipped", [])
        stopped = state.get("stopped_at")
        if stopped is not None or skipped:
            first = label(nb["cells"][stopped], stopped) if stopped is not None else label(nb["cells"][skipped[0]], skipped[0])
            findings.append(Finding("wall_time", f"the notebook ran past its {limits.wall_seconds} s limit for the "
                                    f"whole notebook: {first} was stopped"
                                    + (f" and {len(skipped)} cell(s) after it did not run" if skipped else "")))
        if state.get("hard_killed"):
            findings.append(Finding("wall_time", "the notebook did not stop at its time limit, so its sandbox was ended"))


def _missing_path(evalue: str) -> str | None:
    match = re.search(r"No such file or directory: '([^']+)'", evalue)
    return match.group(1)[:200] if match else None


def _local_path_sentence(path) -> str:
    where = f" ({path})" if path else ""
    return (f"It reads a file{where} that exists only on your own computer, not in the course: use the table "
            "the function is given, or the course's data (trustcircles.data).")


# --------------------------------------------------------------------------- in nbgrader's pipeline


class PrepareForGrading(NbGraderPreprocessor):
    """Before the notebook runs: test cells out, shell escapes neutralised, the probe's request."""

    def preprocess(self, nb, resources):
        state = resources["trustcircles"]
        state["test_sources"] = test_cells_out(nb)
        state["shell"] = neutralise_cells(nb)
        judge: Judge = state["judge"]
        plan = state["plan"]
        state["cases"] = judge.request(state["seed"], plan.inputs, plan.inside)
        state["probe_code"] = judge.probe_code(plan.inside)
        return nb, resources


class DecideOutside(NbGraderPreprocessor):
    """After the notebook ran: each test cell's output is the outside decision (SaveAutoGrades then
    records exactly it); the visible checks show their released source again."""

    def preprocess(self, nb, resources):
        state = resources["trustcircles"]
        decisions, findings = state["judge"].decide(nb, state)
        state["decisions"], state["findings"] = decisions, findings
        from nbformat.v4 import new_output
        for cell in nb.cells:
            if not is_test_cell(cell):
                continue
            gid = meta(cell)["grade_id"]
            decision = decisions.get(gid)
            if cell.source == CHECK_PLACEHOLDER:
                cell.source = state["test_sources"].get(gid, cell.source)
            if decision is None:
                continue
            question = re.match(r"^([aq]\d+)", gid)
            name = question.group(1) if question else gid
            if decision.passed:
                cell.outputs = [new_output("stream", name="stdout", text=f"Correct ({name}): {decision.message}\n")]
            else:
                lines = decision.message.splitlines() or ["not yet"]
                cell.outputs = [new_output("error", ename="CheckFailed", evalue=decision.message,
                                           traceback=[f"Not yet ({name}): {lines[0]}"] + [f"  {x}" for x in lines[1:]])]
        return nb, resources
