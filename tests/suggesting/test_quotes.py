# ruff: noqa: RUF001, RUF002 -- this file is about quotation marks and dashes
"""Quote and speaker suggestions on news text: patterns of Indonesian and English reporting."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.suggesting import UnsupportedLanguage, suggest_quotes

from .helpers import Seen, direct, quotes

SAMPLE = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "samples"
    / ("tribunnews-nato-steadfast-noon.id.txt")
)


@pytest.mark.skipif(not SAMPLE.exists(), reason="needs ../shared/samples (not in a fresh clone)")
def test_sample_article_quotes_are_suggested_with_stoltenberg_as_speaker():
    """The shared Tribunnews sample: all four direct quotes, each attributed to Stoltenberg."""
    text = SAMPLE.read_text(encoding="utf-8")
    found = direct(text, "id")
    openings = [q.fragments[0][:30] for q in found]
    assert openings == [
        '"Itu akan mengirimkan sinyal y',
        '"Itu akan menjadi sinyal yang ',
        '"Ketegasan NATO, perilaku yang',
        '"Jika sekarang kami menciptaka',
    ]
    assert [q.resolved for q in found] == ["Stoltenberg"] * 4
    assert [q.cue for q in found] == ["kata", "tambah", "kata", None]
    assert found[1].speaker == "nya"  # "tambahnya", resolved to Stoltenberg
    assert not any('"Steadfast Noon"' in f or '"pukulam"' in f for q in found for f in q.fragments)


def test_kata_after_the_quote_names_the_speaker_without_title():
    """'"…," kata Kapolres … Kombes Budi Hartono kepada wartawan': the name, not the title."""
    text = (
        '"Pelaku sudah kami amankan beserta barang buktinya," kata Kapolres Metro Jakarta '
        "Selatan Kombes Budi Hartono kepada wartawan, Selasa (4/7/2023)."
    )
    assert direct(text, "id") == [
        Seen(
            ('"Pelaku sudah kami amankan beserta barang buktinya,"',),
            "direct",
            "kata",
            "Budi Hartono",
            "Budi Hartono",
        )
    ]


ID_QUOTE = '"Latihan ini sudah direncanakan sejak tahun lalu,"'
EN_QUOTE = '"The exercise has been planned for a long time,"'


@pytest.mark.parametrize(
    ("language", "attribution", "cue", "speaker"),
    [
        ("id", "ujar Menteri Keuangan Sri Wahyuni", "ujar", "Sri Wahyuni"),
        ("id", "ungkap Sekjen NATO Jens Stoltenberg", "ungkap", "Jens Stoltenberg"),
        ("id", "tegasnya", "tegas", "nya"),
        ("id", "jelas dia", "jelas", "dia"),
        ("id", "Stoltenberg menambahkan", "menambahkan", "Stoltenberg"),
        ("id", "tutur seorang pejabat dari NATO", "tutur", "seorang pejabat dari NATO"),
        ("en", "said Mr. Stoltenberg", "said", "Stoltenberg"),
        ("en", "Dr. Amina Yusuf said", "said", "Amina Yusuf"),
        ("en", "she told reporters", "told", "she"),
        ("en", "he added", "added", "he"),
        ("en", "said Jane Doe, a spokeswoman for the ministry", "said", "Jane Doe"),
        ("en", "the ministry said in a statement", "said", "the ministry"),
        ("en", "NATO Secretary-General Jens Stoltenberg wrote on X", "wrote", "Jens Stoltenberg"),
    ],
)
def test_cues_after_the_quote(language, attribution, cue, speaker):
    """Stems, -nya clitics, pronouns, titles, appositions, organisations, speaker-first verbs."""
    text = f"{ID_QUOTE if language == 'id' else EN_QUOTE} {attribution}."
    (quote,) = direct(text, language)
    assert (quote.cue, quote.speaker) == (cue, speaker)


def test_cue_before_the_quote():
    """'Stoltenberg mengatakan, "…"' and 'Dr. Amina Yusuf said: "…"'."""
    (indonesian,) = direct('Stoltenberg mengatakan, "Kami tidak akan membatalkan latihan."', "id")
    (english,) = direct('Dr. Amina Yusuf said: "We expect the number to rise."', "en")
    assert (indonesian.cue, indonesian.speaker) == ("mengatakan", "Stoltenberg")
    assert (english.cue, english.speaker) == ("said", "Amina Yusuf")


def test_interrupted_quote_is_one_quote_with_two_fragments():
    """'"…," ujar Budi, "…."': one utterance, both fragments, one speaker and cue."""
    text = (
        '"Ketinggian gelombang bisa mencapai empat meter," ujar Budi, '
        '"jadi nelayan sebaiknya tidak melaut dulu."'
    )
    assert direct(text, "id") == [
        Seen(
            (
                '"Ketinggian gelombang bisa mencapai empat meter,"',
                '"jadi nelayan sebaiknya tidak melaut dulu."',
            ),
            "direct",
            "ujar",
            "Budi",
            "Budi",
        )
    ]


def test_attribution_ending_a_sentence_does_not_join_the_next_quote():
    """'"…," he said. "…"': two quotes, the second continuing the same speaker."""
    text = '"Nobody wants this," Smith said. "But we will do it anyway."'
    first, second = direct(text, "en")
    assert len(first.fragments) == len(second.fragments) == 1
    assert (first.resolved, second.resolved, second.cue) == ("Smith", "Smith", None)


def test_multi_paragraph_quote_is_one_quote_with_a_fragment_per_paragraph():
    """Each paragraph opens with a mark, only the last closes; the cue after the last."""
    text = (
        "Kapolres Metro Depok Kombes Arief Nugroho menjelaskan kronologinya.\n"
        '"Anggota kami mengintai selama tiga hari.\n'
        '"Kamis malam tim masuk dan menemukan barang bukti.\n'
        '"Kedua tersangka tidak melawan," ungkapnya.'
    )
    (quote,) = direct(text, "id")
    assert quote.fragments == (
        '"Anggota kami mengintai selama tiga hari.',
        '"Kamis malam tim masuk dan menemukan barang bukti.',
        '"Kedua tersangka tidak melawan,"',
    )
    assert (quote.cue, quote.speaker, quote.resolved) == ("ungkap", "nya", "Arief Nugroho")


def test_clitic_and_pronoun_speakers_resolve_to_the_previous_named_speaker():
    """'katanya' and 'dia' point at the last speaker; 'he' in English likewise."""
    text = (
        '"Stok beras aman sampai akhir tahun," kata Bambang Sutrisno.\n'
        '"Masyarakat tidak perlu panik," katanya.\n'
        '"Harga akan turun bulan depan," ujar dia.'
    )
    assert [(q.speaker, q.resolved) for q in direct(text, "id")] == [
        ("Bambang Sutrisno", "Bambang Sutrisno"),
        ("nya", "Bambang Sutrisno"),
        ("dia", "Bambang Sutrisno"),
    ]


def test_pronoun_with_two_people_named_since_the_last_quote_stays_unresolved():
    """When two other people were named in between, 'katanya' is left to the annotator."""
    text = (
        '"Stok aman," kata Bambang Sutrisno.\n'
        "Rapat itu juga dihadiri Menteri Pertanian Rina Kartika dan Gubernur Joko Santoso.\n"
        '"Kami akan memantau harga setiap hari," katanya.'
    )
    last = direct(text, "id")[-1]
    assert (last.speaker, last.resolved) == ("nya", "nya")


def test_pronoun_speaker_never_resolves_to_an_organisation():
    """'she' after an ORG speaker looks for a person instead."""
    text = (
        "The fire is under investigation, according to the Newark Fire Department.\n"
        "Dr. Priya Raman, a dentist who lives nearby, said she woke up at 4 a.m.\n"
        '"I grabbed my kids and ran," she said.'
    )
    assert direct(text, "en")[-1].resolved == "Priya Raman"


@pytest.mark.parametrize(
    ("text", "language", "content", "speaker"),
    [
        (
            "Stoltenberg mengatakan bahwa latihan itu sudah direncanakan jauh hari.",
            "id",
            "latihan itu sudah direncanakan jauh hari",
            "Stoltenberg",
        ),
        (
            "Kepala BPBD Hendra Wicaksono mengatakan, pihaknya menyiagakan 12 perahu karet.",
            "id",
            "pihaknya menyiagakan 12 perahu karet",
            "Hendra Wicaksono",
        ),
        (
            "Menurut Sekjen NATO Jens Stoltenberg, latihan itu bersifat rutin.",
            "id",
            "latihan itu bersifat rutin",
            "Jens Stoltenberg",
        ),
        (
            "Bagian utama manuver akan diadakan jauh dari Rusia, kata seorang pejabat NATO.",
            "id",
            "Bagian utama manuver akan diadakan jauh dari Rusia",
            "seorang pejabat NATO",
        ),
        (
            "NATO Secretary-General Jens Stoltenberg said that the drills were routine.",
            "en",
            "the drills were routine",
            "Jens Stoltenberg",
        ),
        (
            "According to Mr. Stoltenberg, the drills will last about a week.",
            "en",
            "the drills will last about a week",
            "Stoltenberg",
        ),
        (
            "The drills will take place next week, officials said on Friday.",
            "en",
            "The drills will take place next week",
            "officials",
        ),
        (
            "Maria Santos, who owns a bakery, told the council she was worried about deliveries.",
            "en",
            "she was worried about deliveries",
            "Maria Santos",
        ),
    ],
)
def test_indirect_quotes(text, language, content, speaker):
    """Reported speech: after 'bahwa'/'that' or a comma, after 'menurut X,', before ', kata X'."""
    (quote,) = quotes(text, language)
    assert (quote.quote_type, quote.fragments, quote.speaker) == ("indirect", (content,), speaker)


@pytest.mark.parametrize(
    "text",
    [
        'Latihan yang dijuluki "Steadfast Noon" diadakan setiap tahun.',
        'Pasukan Rusia mundur di bawah "pukulan" pasukan Ukraina.',
        'Film "Rumah di Ujung Senja" meraih tiga Piala Citra.',
        "Goalkeeper Jonah Pike, nicknamed 'The Wall' by fans, saved two penalties.",
        'Several employees criticised what one called "efficiency theatre" online.',
    ],
)
def test_titles_and_scare_quotes_are_not_quotes(text):
    """Quoted names, titles and scare quotes with no speech around them are left alone."""
    assert quotes(text, "en" if "Pike" in text or "employees" in text else "id") == []


def test_nested_quotes_stay_inside_the_outer_quote():
    """Single marks inside double ones, and curly doubles inside curly doubles."""
    indonesian = "\"Ibu bilang, 'Main yang tenang, Nak.' Itu yang saya ingat,\" ujar Fajar."
    english = "“He told me “no” twice before the meeting,” said Ms. Lee."
    assert direct(indonesian, "id")[0].fragments == (indonesian[: indonesian.index(" ujar")],)
    assert direct(english, "en")[0].fragments == (english[: english.index(" said")],)


def test_apostrophes_are_not_quotation_marks():
    """don't, Jum'at, O'Rourke, students’ and isn’t inside single-quoted text."""
    text = (
        "Ditangkap pada Jum'at malam, kata polisi. Councilor Daniel O'Rourke didn't agree.\n"
        "‘We’ve been told to wait,’ said Colin Hughes, ‘but the rain isn’t going to wait.’\n"
        "The students’ union said nothing."
    )
    found = direct(text, "en")
    assert [q.fragments for q in found] == [
        ("‘We’ve been told to wait,’", "‘but the rain isn’t going to wait.’")
    ]
    assert found[0].speaker == "Colin Hughes"


def test_unbalanced_marks_never_crash_and_recover_at_the_attribution():
    """A quote whose closing mark is missing ends at ', kata X'; stray marks are ignored."""
    text = (
        '"Anak-anak bisa delapan jam sehari menatap layar, kata Asep di Bandung.\n'
        'Ini " hanya tanda kutip yang tersesat.\n'
        "”Dan ini juga."
    )
    found = direct(text, "id")
    assert [(q.fragments, q.speaker) for q in found] == [
        (('"Anak-anak bisa delapan jam sehari menatap layar,',), "Asep")
    ]
    first = suggest_quotes(text, language="id")[0]
    assert first.score < 0.7  # a guess: say so


def test_text_without_quotes_gives_nothing():
    """No marks, no speech verbs: no suggestions (and no crash on empty text)."""
    assert quotes("Gempa bermagnitudo 5,8 mengguncang Garut pada Sabtu malam.", "id") == []
    assert quotes("", "en") == []
    assert quotes("\n\r\n  \n", "id") == []


def test_offsets_are_code_points_in_crlf_text_with_emoji():
    """Spans index the text as stored: CRLF line breaks and astral emoji count as given."""
    text = (
        "Dinkes DKI menulis 🦟🚫 pesan ini.\r\n"
        '"Yuk lakukan 3M Plus 💪 sekarang juga," kata Ayu Lestari.\r\n'
        '"Jangan tunggu sakit dulu," tambahnya.'
    )
    first, second = suggest_quotes(text, language="id")
    assert text[slice(*first.fragments[0])] == '"Yuk lakukan 3M Plus 💪 sekarang juga,"'
    assert text[first.speaker.start : first.speaker.end] == "Ayu Lestari"
    assert text[slice(*second.fragments[0])] == '"Jangan tunggu sakit dulu,"'
    assert second.antecedent == first.speaker


def test_quotation_marks_are_left_out_when_the_project_says_so():
    """include_marks=False: the words between the marks, trimmed, for every fragment."""
    text = '"Stok aman," ujar Budi, "jadi jangan panik."\n« Nous reviendrons, » a-t-il dit.'
    (quote,) = direct(text, "id", include_marks=False)
    assert quote.fragments == ("Stok aman,", "jadi jangan panik.")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("“Curly marks work,” she said.", "“Curly marks work,”"),
        (
            "« We are not against the environment, » said Jean Dubois.",
            "« We are not against the environment, »",
        ),
        ("„Nobody wants tractors here“, one officer told AFP.", "„Nobody wants tractors here“"),
        (
            "‘It is a fraction of what is needed,’ said Sarah Milburn.",
            "‘It is a fraction of what is needed,’",
        ),
        ('"Straight marks work too," he said.', '"Straight marks work too,"'),
    ],
)
def test_every_kind_of_quotation_mark(text, fragment):
    """Straight, curly, guillemets, German low-high and single curly marks."""
    (quote,) = direct(text, "en")
    assert quote.fragments == (fragment,)


def test_scores_and_reasons_say_how_sure_the_suggester_is():
    """A named, cued speaker scores above an unattributed continuation; reasons say why."""
    text = '"Kami siap," kata Budi.\n"Semua personel sudah di lokasi sejak pagi tadi."'
    named, continued = suggest_quotes(text, language="id")
    assert 0 < continued.score < named.score <= 1
    assert "'kata'" in named.reason and "'Budi'" in named.reason
    assert "continues the speaker" in continued.reason


def test_unknown_language_is_refused_with_the_languages_it_knows():
    """Only id and en have lexicons; anything else is a clear error, not a silent empty list."""
    with pytest.raises(UnsupportedLanguage, match="id, en"):
        suggest_quotes("text", language="fr")
