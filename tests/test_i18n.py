"""The Korean edition (tools/derive/i18n.py): one source for code and outputs,
translations that cannot drift silently."""

import copy
import json
import shutil

import nbformat
import polib
import pytest

from chapters import CHAPTERS, ROOT
from tools.author import figures
from tools.book import shown_quiz_questions
from tools.derive import i18n

KO = ROOT / "ko"


def test_catalogs_and_korean_book_are_up_to_date():
    """locales/ko matches today's English and ko/ matches both (run
    `python tools/derive/i18n.py update` then `build` after editing either)."""
    assert i18n.main(["check"]) == 0


def test_every_page_is_translated():
    """No entry without a translation. A stale one (its English changed since) is
    allowed: the Korean page shows that cell in English under a marker and the
    status pages count it, until a translator updates it."""
    _, counts = i18n.build_files()
    missing = {page: c.missing for page, c in counts.items() if c.missing}
    assert not missing, f"entries with no Korean, per page: {missing}"


def test_translations_keep_code_math_numbers_and_links():
    assert i18n.main(["validate"]) == 0


def quiz_data(cell) -> list | None:
    for output in cell.get("outputs", []):
        js = output.get("data", {}).get("application/javascript")
        if js and i18n.QUIZ_VAR.search(js):
            start = i18n.QUIZ_VAR.search(js).end()
            return json.JSONDecoder().raw_decode(js, start)[0]
    return None


def same_code(english: str, korean: str) -> bool:
    """The Korean cell's code is the English code, but for its Colab form title (the
    first line, "# @title ..."), which is the English title's Korean in
    locales/ko/site.yml."""
    if english == korean:
        return "# @title " not in english.split("\n")[0]
    en_first, _, en_rest = english.partition("\n")
    ko_first, _, ko_rest = korean.partition("\n")
    titles = i18n.site_strings()["colab_titles"]
    title = en_first.removeprefix("# @title ")
    return (
        en_rest == ko_rest
        and en_first.startswith("# @title ")
        and title in titles
        and ko_first == f"# @title {titles[title]}"
    )


def test_same_code_allows_only_the_korean_colab_title():
    english = "# @title Setup: run this cell first (the same in every chapter)\nx = 1"
    korean = (
        "# @title " + i18n.site_strings()["colab_titles"][english[9:-6]] + "\nx = 1"
    )
    assert same_code(english, korean)
    assert same_code("x = 1", "x = 1")
    # Planted: an English title left in Korean, a changed line, another title.
    assert not same_code(english, english)
    assert not same_code(english, korean.replace("x = 1", "x = 2"))
    assert not same_code(english, "# @title 다른 제목\nx = 1")
    assert not same_code("x = 1\ny = 2", "x = 1\ny = 3")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def with_korean_figures(outputs) -> list:
    """The English outputs as a Korean page shows them: each picture (or demo player)
    replaced by the Korean twin the same run drew (tools/execute/figure_text.py), and
    the twin no longer carried beside it."""
    shown = copy.deepcopy(outputs)
    for output in shown:
        book = output.get("metadata", {}).get("book", {})
        twin = book.pop("ko", None)
        if twin is None:
            continue
        if not book:
            del output["metadata"]["book"]
        for mime in ("image/png", "text/html"):
            if mime in twin:
                assert mime in output["data"]
                assert twin[mime] != output["data"][mime], "a twin is not Korean"
                output["data"][mime] = twin[mime]
    return shown


def test_code_and_outputs_are_the_english_ones(chapter):
    """Byte for byte: every code cell's source, metadata and outputs, and each
    cell's id and type. The differences: the setup cell's Colab title, which is
    Korean (locales/ko/site.yml), the figures' descriptions (alt text, demo sentence:
    Korean, from the catalogs) and the figures themselves (their Korean twins), and
    the quiz's question data, which is the Korean quiz file (what show_quiz draws
    when run from ko/book/), with jupyterquiz's own words in Korean."""
    english = nbformat.read(chapter, as_version=4)
    korean = nbformat.read(KO / chapter.relative_to(ROOT), as_version=4)
    assert english.metadata == korean.metadata
    assert [(c.id, c.cell_type) for c in english.cells] == [
        (c.id, c.cell_type) for c in korean.cells
    ]
    for en, ko in zip(english.cells, korean.cells):
        if en.cell_type != "code":
            continue
        assert same_code(en.source, ko.source), en.id
        # the same metadata but for the figure's descriptions, which are Korean
        assert set(figures.descriptions(en.metadata)) == set(
            figures.descriptions(ko.metadata)
        ), en.id
        en_rest, ko_rest = copy.deepcopy(en.metadata), copy.deepcopy(ko.metadata)
        for kind in figures.descriptions(en.metadata):
            figures.set_description(en_rest, kind, "")
            figures.set_description(ko_rest, kind, "")
        assert en_rest == ko_rest, en.id
        en_quiz, ko_quiz = quiz_data(en), quiz_data(ko)
        if en_quiz is None:
            assert with_korean_figures(en.outputs) == ko.outputs, en.id
            continue
        quizzes = chapter.parent / "quizzes"
        # the output holds what learners are shown (no author-only fields)
        assert shown_quiz_questions(en_quiz) == shown_quiz_questions(
            json.loads((quizzes / f"{chapter.stem}.json").read_text())
        )
        korean_file = KO / "book" / "quizzes" / f"{chapter.stem}.json"
        assert ko_quiz == json.loads(korean_file.read_text(encoding="utf-8"))
        for en_out, ko_out in zip(en.outputs, ko.outputs):
            js = en_out.get("data", {}).get("application/javascript", "")
            if i18n.QUIZ_VAR.search(js):
                swapped = i18n.swap_quiz_output(js, en_quiz, ko_quiz)
                assert swapped == ko_out["data"]["application/javascript"]
                assert {k: v for k, v in en_out.items() if k != "data"} == {
                    k: v for k, v in ko_out.items() if k != "data"
                }
            else:
                assert en_out == ko_out, en.id


def test_korean_quizzes_change_only_text():
    """Same questions, answers, correctness and numeric values as the English."""
    for english_file in sorted((ROOT / "book" / "quizzes").glob("*.json")):
        english = json.loads(english_file.read_text(encoding="utf-8"))
        korean = json.loads((KO / "book" / "quizzes" / english_file.name).read_text())
        assert len(english) == len(korean)
        for en, ko in zip(english, korean):
            assert en["type"] == ko["type"] and en.get("precision") == ko.get(
                "precision"
            )
            shape = [
                (a.get("correct"), a.get("value"), a.get("type"))
                for a in en.get("answers", [])
            ]
            assert shape == [
                (a.get("correct"), a.get("value"), a.get("type"))
                for a in ko.get("answers", [])
            ], english_file.name


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """A copy of chapter 12, its quiz and its catalog, for planting changes."""
    (tmp_path / "book" / "quizzes").mkdir(parents=True)
    shutil.copy(ROOT / "book" / "12_dropout.ipynb", tmp_path / "book")
    shutil.copy(
        ROOT / "book" / "quizzes" / "12_dropout.json", tmp_path / "book" / "quizzes"
    )
    locales = tmp_path / "locales" / "ko" / "LC_MESSAGES"
    locales.mkdir(parents=True)
    # Every entry translated (a stand-in that keeps the English's code and numbers),
    # whatever the state of the real catalog.
    po = polib.pofile(str(i18n.LOCALES / "12_dropout.po"))
    for entry in po:
        entry.msgstr = entry.msgstr or entry.msgid
        entry.flags = []
    (locales / "12_dropout.po").write_text(str(po), encoding="utf-8")
    monkeypatch.setattr(i18n, "ROOT", tmp_path)
    monkeypatch.setattr(i18n, "LOCALES", locales)
    return tmp_path


PAGE = "book/12_dropout"


def test_a_changed_english_cell_becomes_stale_and_shows_in_english(sandbox):
    path = sandbox / f"{PAGE}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    cell = next(
        c
        for c in notebook.cells
        if c.cell_type == "markdown" and c.source.startswith("## ")
    )
    old = cell.source
    cell.source = old + "\n\nA sentence added in English."
    new_cell = nbformat.v4.new_markdown_cell("A cell nobody has translated yet.")
    notebook.cells.insert(3, new_cell)
    nbformat.write(notebook, path)

    po = i18n.merged(PAGE)
    entry = po.find(i18n.text_hash(cell.source), by="msgctxt")
    assert "fuzzy" in entry.flags and entry.previous_msgid == old and entry.msgstr
    i18n.catalog_path(PAGE).write_text(str(po), encoding="utf-8")
    texts, _, counts = i18n.korean_texts(PAGE)
    assert counts.stale == 1 and counts.missing == 1, counts
    # Shown in English, under the marker, with the page's heading kept first.
    assert texts[cell.id].startswith(cell.source.split("\n")[0])
    assert i18n.STALE_MARK in texts[cell.id]
    assert "A sentence added in English." in texts[cell.id]
    assert i18n.STALE_MARK in texts[new_cell.id]
    # Both status pages count it (the publish stage renders them from the counts).
    from tools.publish import status

    table = {"12_dropout": {"translated": counts.translated, "stale": 1, "missing": 1}}
    for lang in ("en", "ko"):
        page = status.render(status.load_data(), lang, table)
        row = f"| 12_dropout | {counts.translated} | 1 | 1 |"
        assert row in page, page[-600:]


def test_an_untouched_cell_keeps_its_translation(sandbox):
    before = polib.pofile(str(i18n.catalog_path(PAGE)))
    after = i18n.merged(PAGE)
    assert [(e.msgctxt, e.msgstr, e.flags) for e in before] == [
        (e.msgctxt, e.msgstr, e.flags) for e in after
    ]


def test_links_get_the_korean_anchors():
    anchors = {
        PAGE: {"1-apply-dropout02-to-a-vector-of-ones": "1-벡터에-dropout02-적용하기"}
    }
    text = "[§12.1](12_dropout.ipynb#1-apply-dropout02-to-a-vector-of-ones)"
    assert i18n.rewrite_links(text, "book/qna", anchors) == (
        "[§12.1](12_dropout.ipynb#1-벡터에-dropout02-적용하기)"
    )
    with pytest.raises(i18n.TranslationError, match="missing anchor"):
        i18n.rewrite_links("[x](12_dropout.ipynb#no-such-heading)", "book/qna", anchors)


def test_validate_catches_a_dropped_number_and_code(sandbox):
    path = i18n.catalog_path(PAGE)
    po = polib.pofile(str(path))
    entry = next(e for e in po if "25.6" in e.msgid)
    entry.msgstr = entry.msgstr.replace("25.6", "25").replace(
        "`Dropout(0.2)`", "드롭아웃"
    )
    path.write_text(str(po), encoding="utf-8")
    found = i18n.problems(PAGE)
    assert any("number differs" in p for p in found), found
    assert any("inline code differs" in p for p in found), found


def test_korean_search_splits_hangul_into_bigrams():
    from tools.publish.offline_site import KoreanSearch

    words = KoreanSearch({}).split("드롭아웃은 Dropout(0.2)를")
    assert {"드롭", "롭아", "아웃", "웃은"} <= set(words)
    assert "Dropout" in words and "를" in words
