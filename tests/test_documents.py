"""Documents as a knowledge source: each format, bad files, re-import, deletion, the command line, and
passage answers that follow the store at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from knowledge.answer_types import expected
from knowledge.documents import delete_document, list_documents, read_document, sentences
from knowledge.passages import PASSAGES, _Index, _Lexical, _Local, _Unit, figures, without_framing
from knowledge.records_io import RecordFileError, export_records, import_files
from knowledge.text import search_terms

ROOT = Path(__file__).resolve().parent.parent

MARKDOWN = """---
title: "Le Fablab de Sète"
source: "une fiche de démonstration écrite pour les tests"
region: occitanie
published: 2026-01-15
demo: true
---
# Le Fablab de Sète

## Horaires du Fablab
Le Fablab de Sète ouvre ses machines au public le mercredi de 14 h à 19 h. M. Dupont y accueille les **débutants**.

## Les machines
- Le Fablab de Sète possède trois imprimantes 3D et une découpeuse laser.
"""


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF showing `lines` in Helvetica (WinAnsi, so French accents survive)."""
    text = " ".join(f"({line}) Tj T*" for line in lines).encode("cp1252")
    stream = b"BT /F1 12 Tf 14 TL 72 720 Td " + text + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "md": tmp_path / "fablab-sete.md",
        "txt": tmp_path / "Note interne.txt",
        "html": tmp_path / "page.html",
        "pdf": tmp_path / "plaquette.pdf",
    }
    paths["md"].write_text(MARKDOWN, encoding="utf-8")
    paths["txt"].write_text("Note sur la ludothèque\n\nLa ludothèque numérique prête des casques de réalité "
                            "virtuelle aux collèges.\nLe prêt dure deux semaines.\n", encoding="utf-8")
    paths["html"].write_text(
        "<html><head><title>La serre connectée</title><script>alert(1)</script></head><body>"
        "<nav>Menu</nav><h2>Capteurs</h2><p>La serre connectée de Lunel mesure l'humidité toutes les dix minutes.</p>"
        "<ul><li>La serre connectée produit des tomates anciennes.</li></ul></body></html>", encoding="utf-8")
    paths["pdf"].write_bytes(pdf_bytes(["La plaquette présente le garage solidaire de Béziers.",
                                        "Le garage solidaire répare des vélos électriques."]))
    return paths


def test_markdown_front_matter_sections_and_sentences(files: dict[str, Path]) -> None:
    document = read_document(files["md"])
    assert (document.id, document.title, document.region, document.demo) == ("fablab-sete", "Le Fablab de Sète",
                                                                              "occitanie", True)
    assert str(document.published) == "2026-01-15"
    assert document.passages[0][0] == "Horaires du Fablab" and "débutants" in document.passages[0][1]
    assert "**" not in document.passages[0][1]
    assert document.passages[-1] == ("Les machines",
                                      "Le Fablab de Sète possède trois imprimantes 3D et une découpeuse laser.")


def test_text_html_and_pdf_are_read(files: dict[str, Path]) -> None:
    text = read_document(files["txt"])
    assert text.title == "Note sur la ludothèque" and text.id == "note-interne" and text.region == ""
    assert "casques de réalité virtuelle" in text.passages[0][1]
    page = read_document(files["html"])
    assert page.title == "La serre connectée" and page.passages[0][0] == "Capteurs"
    assert not any("alert" in p or "Menu" in p for _, p in page.passages)
    assert any("tomates anciennes" in p for _, p in page.passages)
    pdf = read_document(files["pdf"])
    assert "garage solidaire de Béziers" in " ".join(p for _, p in pdf.passages)


def test_sentences_keep_abbreviations_and_figures_together() -> None:
    assert sentences("M. Dupont accueille 2 000 visiteurs. Mme Durand aussi ! Et après ?") == [
        "M. Dupont accueille 2 000 visiteurs.", "Mme Durand aussi !", "Et après ?"]


@pytest.mark.parametrize("name, content, reason", [
    ("vide.md", "---\ntitle: Rien\n---\n", "aucun texte lisible"),
    ("region.md", "---\nregion: bretagne\n---\nUn texte.", "région inconnue"),
    ("champ.md", "---\nauteur: moi\n---\nUn texte.", "champ inconnu"),
    ("entete.md", "---\ntitle: [oups\n---\nUn texte.", "en-tête YAML illisible"),
    ("date.md", "---\npublished: demain\n---\nUn texte.", "n'est pas une date"),
    ("casse.pdf", "ceci n'est pas un PDF", "document illisible"),
    ("image.docx", "binaire", "format de document non pris en charge"),
])
def test_a_bad_file_is_named_with_its_reason(tmp_path: Path, name: str, content: str, reason: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RecordFileError) as error:
        read_document(path)
    assert name in str(error.value) and reason in str(error.value)


def test_import_replaces_lists_and_deletes(store_url: str, files: dict[str, Path]) -> None:
    done = import_files(list(files.values()), url=store_url)
    assert sorted(kind for _, kind, _ in done) == ["documents"] * 4
    before = {d.id: d.passages for d in list_documents(store_url)}
    assert before["fablab-sete"] == 2
    files["md"].write_text(MARKDOWN.replace("## Les machines\n- Le Fablab de Sète possède trois imprimantes 3D et "
                                            "une découpeuse laser.\n", ""), encoding="utf-8")
    import_files([files["md"]], url=store_url)
    assert {d.id: d.passages for d in list_documents(store_url)}["fablab-sete"] == 1
    assert delete_document("fablab-sete", url=store_url) and not delete_document("fablab-sete", url=store_url)
    assert "fablab-sete" not in {d.id for d in list_documents(store_url)}


def test_a_bad_file_imports_nothing_at_all(store_url: str, files: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "casse.pdf"
    broken.write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(RecordFileError):
        import_files([files["md"], broken], url=store_url)
    assert "fablab-sete" not in {d.id for d in list_documents(store_url)}


def test_faq_without_region_and_type_given_on_the_command_line(store_url: str, tmp_path: Path) -> None:
    path = tmp_path / "questions-du-salon.yml"
    path.write_text(yaml.safe_dump([{"id": "salon-parking", "questions": ["Où se garer pour le salon ?"],
                                     "answer": "Au parking P2 (démo).", "demo": True}], allow_unicode=True),
                    encoding="utf-8")
    with pytest.raises(RecordFileError, match="le nom du fichier doit contenir"):
        import_files([path], url=store_url)
    assert import_files([path], url=store_url, kind="faq")[0][1:] == ("faq", 1)
    entry = next(e for e in export_records("faq", store_url) if e["id"] == "salon-parking")
    assert entry["region"] == ""


def test_region_less_records_are_served_in_every_region(store_url: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import knowledge

    path = tmp_path / "faq.yml"
    path.write_text(yaml.safe_dump([{"id": "salon-parking", "questions": ["Où se garer pour le salon du numérique ?"],
                                     "answer": "Au parking P2.", "demo": True}], allow_unicode=True), encoding="utf-8")
    import_files([path], url=store_url)
    monkeypatch.setenv("ODYSSEE_REGIONS", "grand-est")
    assert knowledge.search_faq("où se garer pour le salon du numérique ?", limit=1)[0].id == "salon-parking"


def test_an_imported_document_is_answered_from_at_the_next_question(store_url: str, files: dict[str, Path]) -> None:
    question = "combien d'imprimantes 3D a le fablab de Sète ?"
    before = PASSAGES.best(question)
    assert before is None or "imprimantes" not in " ".join(before.sentences)
    import_files([files["md"]], url=store_url)
    after = PASSAGES.best(question)
    assert after is not None and after.document_id == "fablab-sete" and after.demo
    assert any("trois imprimantes 3D" in s for s in after.sentences)
    delete_document("fablab-sete", url=store_url)
    gone = PASSAGES.best(question)
    assert gone is None or gone.document_id != "fablab-sete"


def test_command_line_imports_lists_and_deletes(store_url: str, files: dict[str, Path]) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "knowledge", *args], cwd=ROOT, text=True, capture_output=True,
                              env={**os.environ, "KNOWLEDGE_DB_URL": store_url, "ODYSSEE_ENCODER": "none"})

    imported = cli("import", str(files["html"]))
    assert imported.returncode == 0 and "document importé" in imported.stdout
    assert "page" in cli("documents").stdout
    asked = json.loads(cli("ask", "que produit la serre connectée de Lunel ?").stdout)
    assert asked["passage"]["document"] == "page"
    assert cli("documents", "--delete", "page").returncode == 0
    missing = cli("documents", "--delete", "page")
    assert missing.returncode == 2 and "aucun document" in missing.stderr
    bad = cli("import", str(files["md"]).replace(".md", ".docx"))
    assert bad.returncode == 2 and "Aucun fichier n'a été importé" in bad.stderr


SUBJECT_IN_EVERY_SENTENCE = """---
title: "La Maison du code de Sète"
source: "une fiche de démonstration écrite pour les tests"
demo: true
---
# La Maison du code de Sète
La Maison du code de Sète est un lieu de formation au numérique ouvert par la commune de Sète.
La Maison du code de Sète accueille le public dans l'ancienne criée du port de Sète.
La Maison du code de Sète travaille avec les entreprises et les écoles de Sète.
Chaque année, la Maison du code de Sète forme 40 demandeurs d'emploi au développement web.
La Maison du code de Sète veut fédérer les acteurs du numérique de Sète.
"""


def test_within_the_document_the_sentence_holding_the_figure_asked_for_is_quoted(
        store_url: str, tmp_path: Path) -> None:
    path = tmp_path / "maison-du-code.md"
    path.write_text(SUBJECT_IN_EVERY_SENTENCE, encoding="utf-8")
    import_files([path], url=store_url)
    match = PASSAGES.best("la maison du code de sete elle forme cb de chomeurs ?")
    assert match is not None and match.document_id == "maison-du-code"
    assert any("forme 40 demandeurs" in s for s in match.sentences)


def test_a_short_question_quoting_a_figure_gets_the_sentence_stating_it(store_url: str, tmp_path: Path) -> None:
    path = tmp_path / "maison-du-code.md"
    path.write_text(SUBJECT_IN_EVERY_SENTENCE, encoding="utf-8")
    import_files([path], url=store_url)
    match = PASSAGES.best("c koi le truc des 40 deja ?")
    assert match is not None and "forme 40 demandeurs" in match.sentences[0]
    assert figures("Ils étaient 40 en 2018, pour 273 000 €.") == {"40", "273 000"}  # a year is too common
    assert figures("une croissance de 4,2 %") == set()  # nor a single digit


def test_passages_are_kept_to_the_regions_asked_and_the_last_document_is_favoured(seeded_store: str) -> None:
    question = "c était quand ?"
    anywhere = PASSAGES.best(question)
    assert anywhere is not None and anywhere.document_id == "cemd-forum-2018"
    in_grand_est = PASSAGES.best(question, frozenset({"grand-est"}))
    assert in_grand_est is not None and in_grand_est.region == "grand-est"
    assert PASSAGES.best(question, frozenset({"bretagne"})) is None  # no document of that region
    anchored = PASSAGES.best(question, anchor="cemd-ouverture-odysseum")  # the document last answered from
    assert anchored is not None and anchored.document_id == "cemd-ouverture-odysseum"
    assert anchored.score < anywhere.score  # the preference is no part of the score the thresholds judge


@pytest.mark.parametrize(("question", "fact"), [
    ("nom officiel campus numérique AURA", "Campus européen des métiers du Numérique"),
    ("Comment le Campus numérique de Charbonnières est-il conçu ?", "modulaire"),
    ("Pourquoi créer un Campus numérique alors qu'il existe déjà beaucoup d'écoles et d'universités ?",
     "ne couvre pas"),
])
def test_a_fact_sheet_section_titled_with_the_question_it_answers_is_found_in_other_words(
        seeded_store: str, question: str, fact: str) -> None:
    """The heading is read with each sentence of its section: a section titled with its question bridges the words
    people use and the sheet's (the last sections of the seed fact sheets)."""
    found = PASSAGES.best(question)
    assert found is not None and fact in " ".join(found.sentences)


def test_a_sentence_holding_the_kind_of_answer_asked_for_is_added_when_none_quoted_does() -> None:
    texts = ["Le campus veut fédérer l'écosystème.", "Le campus est ouvert à tous.", "Le campus se veut modulaire.",
             "Le campus devait voir le jour fin 2017.", "Le campus compte 3 000 m²."]
    index = _Index(signature=(), units=[_Unit("campus", i, "", t) for i, t in enumerate(texts)], documents={},
                   lexical=None, by_document={}, dense=None, sentence_dense=None,  # type: ignore[arg-type]
                   encoder=None, figures=[])
    ranked = [(i, 1.0 - i / 10) for i in range(len(texts))]
    when = expected("le campus il ouvre qd ?")
    assert index._holding_what_is_asked(when, [0, 1, 2], ranked) == [3]
    assert index._holding_what_is_asked(when, [3], ranked) == []  # already quoted
    assert index._holding_what_is_asked(expected("c'est quoi le campus ?"), [0], ranked) == []  # no kind asked for


def test_a_count_asked_for_is_not_answered_by_a_duration() -> None:
    texts = ["L'Académie forme aux métiers de l'IA.", "Le cursus de l'Académie dure 18 mois.",
             "La Région soutient l'Académie à hauteur de 273 000 €.", "L'Académie forme 25 demandeurs d'emploi."]
    index = _Index(signature=(), units=[_Unit("ibm", i, "", t) for i, t in enumerate(texts)], documents={},
                   lexical=None, by_document={}, dense=None, sentence_dense=None,  # type: ignore[arg-type]
                   encoder=None, figures=[])
    ranked = [(i, 1.0 - i / 10) for i in range(len(texts))]
    assert index._holding_what_is_asked(expected("cb de places a l'academie ?"), [0, 1, 2], ranked) == [3]
    assert index._holding_what_is_asked(expected("ça dure combien de temps ?"), [0, 1], ranked) == []
    assert index._holding_what_is_asked(expected("et c'est payant ?"), [0, 1], ranked) == [2]


class _Axes:
    """An encoder whose question vector is the first axis: a unit's cosine is the first value of its vector."""

    name, floor = "axes", 0.0

    def queries(self, texts: list[str]) -> np.ndarray:
        return np.array([[1.0, 0.0]] * len(texts))


def test_within_the_document_sentences_are_ranked_by_their_own_meaning_not_their_heading() -> None:
    texts = ["La convention a été signée à Strasbourg.", "La convention vise trois priorités."]
    units = [_Unit("convention", i, "La convention tripartite", t) for i, t in enumerate(texts)]
    headed = np.array([[1.0, 0.0], [0.2, 0.98]])  # with its heading, the first sentence reads closest
    alone = np.array([[0.2, 0.98], [1.0, 0.0]])  # alone, the second does

    def first_quoted(sentence_dense: np.ndarray) -> str:
        index = _Index(signature=(), units=units, documents={"convention": ("T", "S", False, None, "grand-est")},
                       lexical=_Lexical.fit(texts), by_document={"convention": ([0, 1], _Local.fit(texts))},
                       dense=headed, sentence_dense=sentence_dense, encoder=_Axes(),  # type: ignore[arg-type]
                       figures=[set(), set()])
        match = index.best("et sinon ?")  # no word in common: the encoder decides
        assert match is not None
        return match.sentences[0]

    assert first_quoted(alone) == texts[1]
    assert first_quoted(headed) == texts[0]


def test_within_the_document_a_long_sentence_holding_what_is_asked_beats_a_short_one_naming_the_subject() -> None:
    texts = ["Le campus numérique de Charbonnières, un projet phare.",
             "Selon la vice-présidente, le campus numérique de Charbonnières se construit de manière collaborative "
             "avec les entreprises, les écoles, les chercheurs, les associations, les start-up, les laboratoires "
             "et les collectivités du territoire régional, sur plusieurs années.",
             "Le campus numérique de Charbonnières forme aux métiers du digital.",
             "Le campus numérique de Charbonnières ouvre fin 2017."]
    question = "le campus numérique de Charbonnières, il se construit comment ?"
    assert int(np.argmax(_Local.fit(texts).scores(question))) == 1  # BM25 adds the weight of « construit »
    assert int(np.argmax(_Lexical.fit(texts).scores(question))) == 0  # a cosine favours the short sentence
    assert _Local.fit(texts).scores("?").tolist() == [0.0] * 4  # no word: no score, no error


def test_within_the_document_subject_words_alone_score_little_so_the_encoder_decides() -> None:
    texts = ["Le campus numérique de Charbonnières est un projet phare.",
             "Le campus numérique de Charbonnières ouvre fin 2017.",
             "Selon la vice-présidente, le numérique envahit tout : e-commerce, impression 3D, smart city.",
             "Le campus numérique forme aux métiers du digital."]
    local = _Local.fit(texts)
    subject_only = local.coverage(search_terms("quels usages pour le campus de Charbonnières ?").split())
    assert subject_only.max() < 0.5  # « usages » is in no sentence: no sentence covers the question
    everything = local.coverage(search_terms("le campus de Charbonnières, il ouvre ?").split())
    assert int(np.argmax(everything)) == 1 and everything[1] > 0.8  # the sentence holding every word


def test_the_words_naming_the_source_do_not_rank_sentences() -> None:
    assert without_framing("D'après l'interview, dans quels domaines le numérique s'impose-t-il ?").split() == [
        "d", "l", "dans", "quels", "domaines", "le", "numerique", "s", "impose", "t", "il"]
    texts = ["Selon l'interview du dossier de presse, le numérique est partout.",
             "Le numérique s'impose dans l'e-commerce et l'impression 3D."]
    question = "selon l'interview du dossier, le numérique s'impose où ?"
    assert int(np.argmax(_Local.fit(texts).scores(question))) == 0  # the words on the source would rank it first
    assert int(np.argmax(_Local.fit(texts).scores(without_framing(question)))) == 1
