"""The answer checker of the practice copies: this file's text is pasted into each
practice copy's collapsed "Practice checks" cell (tools/derive/learner.py), so a copy
checks its learner's answers alone, in Colab or in an empty folder offline. It
imports nothing from the book: the standard library, NumPy and IPython only.

A chapter's checks live in ``book/checks/NN_topic.py``: one function per exercise,
``def check(t)``, that reads the learner's names through ``t`` and records properties
(``t.prop``) and recognised mistakes (``t.mistake``). Their words are in the same file
(English) and in ``locales/ko/checks/NN_topic.yml`` (Korean). The check prints what
holds and what does not, a hint, a stronger hint on the next failed try, and on
success a link to the solution on the book's site. It never prints a traceback: a
learner's exception, a wrong type or shape, NaN, a missing name or a cell run out of
order each get one sentence.

When the environment variable FCN_PRACTICE_RESULTS names a file, every check also
appends its result there as one JSON line (tools/grade/grade.py reads it).
"""

import json
import math
import os
import types

import numpy as np

STUB = (lambda: None).__code__.co_code  # the body of `def f(...): ...`


class NotAnswered(Exception):
    """A name the exercise asks for is not defined yet, or still the placeholder."""


class NeedsChapter(Exception):
    """A name of the chapter's own cells is missing: cells were run out of order."""


class BadAnswer(Exception):
    """The answer is there but cannot be checked: one of WORDS' keys, with fields."""

    def __init__(self, key, **fields):
        super().__init__(key)
        self.key, self.fields = key, fields


class Trial:
    """What one check sees: the notebook's names, and what it has found so far."""

    def __init__(self, ns):
        self.ns, self.props, self.mistakes = ns, [], []

    def answer(self, name, unless=()):
        """The learner's NAME; NotAnswered while it is missing, a placeholder, or
        one of the objects UNLESS (what the chapter's own cells left in that name)."""
        if name not in self.ns or self.ns[name] is Ellipsis:
            raise NotAnswered(name)
        if any(self.ns[name] is stale for stale in unless):
            raise NotAnswered(name)
        value = self.ns[name]
        if isinstance(value, types.FunctionType) and value.__code__.co_code == STUB:
            raise NotAnswered(name)
        return value

    def blank(self, name):
        """Say that NAME is not answered yet (it still holds what the chapter left)."""
        raise NotAnswered(name)

    def chapter(self, name):
        """A name the chapter's cells above the exercise define."""
        if name not in self.ns:
            raise NeedsChapter(name)
        return self.ns[name]

    def call(self, function, *args, **kwargs):
        """The learner's FUNCTION on inputs the check chooses; its exception or a
        missing return value becomes one sentence."""
        try:
            value = function(*args, **kwargs)
        except Exception as error:
            raise BadAnswer(
                "raised",
                name=getattr(function, "__name__", "?"),
                error=f"{type(error).__name__}: {error}"[:200],
            ) from None
        if value is None:
            raise BadAnswer("returns_none", name=getattr(function, "__name__", "?"))
        return value

    def number(self, value, name):
        """VALUE as a finite float, or BadAnswer."""
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise BadAnswer(
                "not_number", name=name, kind=type(value).__name__
            ) from None
        if array.size != 1:
            raise BadAnswer("not_number", name=name, kind=f"shape {array.shape}")
        if not math.isfinite(float(array.reshape(-1)[0])):
            raise BadAnswer("nan", name=name)
        return float(array.reshape(-1)[0])

    def array(self, value, name, shape=None):
        """VALUE as a finite float array (of SHAPE, None for any axis), or BadAnswer."""
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise BadAnswer("not_array", name=name, kind=type(value).__name__) from None
        if shape is not None and (
            len(array.shape) != len(shape)
            or any(s is not None and s != a for s, a in zip(shape, array.shape))
        ):
            want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            raise BadAnswer("shape", name=name, want=want, got=str(array.shape))
        if not np.all(np.isfinite(array)):
            raise BadAnswer("nan", name=name)
        return array

    def prop(self, key, holds):
        """Record whether the property KEY (a key of the exercise's words) holds."""
        self.props.append((key, bool(holds)))
        return bool(holds)

    def mistake(self, key, seen=True):
        """Record the common mistake KEY when SEEN: its words are a targeted hint."""
        if seen:
            self.mistakes.append(key)
        return bool(seen)


class Practice:
    """The checks of one chapter in one language: `practice.check(label, globals())`."""

    def __init__(self, checks_source, words, texts, lang, chapter, site):
        ns = {"__name__": "fcn_checks"}
        exec(compile(checks_source, f"checks/{chapter}.py", "exec"), ns)
        self.checks, self.words, self.texts = ns["CHECKS"], words, texts
        self.lang, self.chapter, self.site = lang, chapter, site
        self.tries, self.results = {}, {}

    def check(self, label, ns, number=None):
        """Run LABEL's check on the notebook's names NS, print the feedback and
        return its status: pass, fail, blank (not answered), order (chapter cells
        not run), error (the answer cannot be checked)."""
        tries = self.tries.get(label, 0) + 1  # failed tries, this one included
        status, lines = self._run(label, ns, tries)
        if status in ("fail", "error"):
            self.tries[label] = tries
        self.results[label] = status
        title = f"{self.words['exercise']} {number or label}"
        print(f"{title}: " + "\n".join(lines))
        path = os.environ.get("FCN_PRACTICE_RESULTS")
        if path:
            record = {"chapter": self.chapter, "label": label, "status": status}
            with open(path, "a", encoding="utf-8") as out:
                out.write(json.dumps(record) + "\n")
        return status

    def _run(self, label, ns, tries):
        w, text = self.words, self.texts[label]
        t = Trial(ns)
        try:
            self.checks[label](t)
        except NotAnswered as missing:
            return "blank", [w["blank"].format(name=missing), text["needs"]]
        except NeedsChapter as missing:
            return "order", [w["order"].format(name=missing)]
        except BadAnswer as bad:
            return "error", [w[bad.key].format(**bad.fields), self._hint(text, [], 1)]
        except Exception as error:  # the check met an answer it did not foresee
            reason = f"{type(error).__name__}: {error}"[:200]
            return "error", [w["unreadable"].format(error=reason), text["needs"]]
        lines = [f"  {'✓' if holds else '✗'} {text[key]}" for key, holds in t.props]
        if t.props and all(holds for _, holds in t.props) and not t.mistakes:
            url = f"{self.site}{self.chapter}.html#{label}"
            return "pass", [w["pass"], *lines, w["solution"].format(url=url)]
        return "fail", [w["fail"], *lines, self._hint(text, t.mistakes, tries)]

    def _hint(self, text, mistakes, tries):
        w = self.words
        if mistakes:
            hint = text[mistakes[0]]
            return f"{w['hint']}: {hint}" + (
                f"\n{w['hint2']}: {text['hint2']}" if tries > 1 else ""
            )
        if tries > 1:
            return f"{w['hint2']}: {text['hint2']}"
        return f"{w['hint']}: {text['hint']}"


# The words of every check, in English; the Korean ones are in locales/ko/site.yml
# (practice).
WORDS = {
    "ready": "Practice checks ready: after each exercise, a cell checks your answer.",
    "exercise": "Exercise",
    "pass": "right.",
    "fail": "not yet.",
    "hint": "Hint",
    "hint2": "Stronger hint",
    "solution": "Compare with the book's solution: {url}",
    "blank": "not answered yet: `{name}` is not defined (or still `...`). "
    "Write your answer in the cell above and run it, then run this check again.",
    "order": "this check needs `{name}`, which the chapter's cells above define: "
    "run them first (Colab: Runtime > Run before), then your answer, then this check.",
    "raised": "your `{name}` stopped with an error: {error}",
    "returns_none": "your `{name}` returns None: did you forget `return`?",
    "not_number": "`{name}` should be a number, but it is a {kind}.",
    "not_array": "`{name}` should be an array of numbers, but it is a {kind}.",
    "shape": "`{name}` should have the shape {want}, but it has {got}.",
    "nan": "`{name}` contains NaN or infinity.",
    "unreadable": "the check could not read your answer ({error}).",
}
