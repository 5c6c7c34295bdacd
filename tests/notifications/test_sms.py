"""SMS encoding and segment counts, checked against an independent calculator (npm
`sms-segments-calculator`, installed by `make test` from tests/notifications/package-lock.json)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from chalicelib.domain.notification_settings import SmsMode
from chalicelib.notifications.sms import GSM7, UCS2, alphabet, encode, is_gsm7, measure, to_gsm7

HERE = Path(__file__).resolve().parent
CALCULATOR = HERE / "node_modules" / "sms-segments-calculator"

FAMILY = "\U0001F469\u200d\U0001F469\u200d\U0001F467"  # one grapheme, 8 UTF-16 units
CORPUS = [
    "",
    "Hola",
    "a" * 160, "a" * 161, "a" * 306, "a" * 307, "a" * 459, "a" * 460,
    # extension characters count double and are never split across parts
    "€" * 80, "€" * 81, "a" * 159 + "€", "a" * 158 + "€", "a" * 152 + "€" + "b" * 10, "a" * 151 + "€" + "b" * 10,
    "a" * 152 + "€" + "b" * 152, "a" * 151 + "€" + "b" * 153,
    "a" * 305 + "[", "a" * 304 + "]", "{}[]^~|\\€" * 20, "x" * 150 + "{}[]^~|\\€",
    "Precio: 25 € {promo} [hoy] ^_^ ~ | \\ fin",
    # accented letters GSM-7 has, and ones it has not
    "é è ù ì ò à Ç É Ä Ö Ñ Ü ä ö ñ ü ß Ø ø Å å Æ æ Δ Φ Γ Λ Ω Π Ψ Σ Θ Ξ ¡ ¿ § ¤ £ ¥ @ $ _",
    "á í ó ú ç Š ž õ č ř ů ě",
    "Cita en Salón Lucía el miércoles a las 9:00",
    "Tere! Teie broneering: kolmapäev, 1. juuli kell 09:00, Õie tänav",
    "Rezervace potvrzena: středa 1. července v 9:00",
    "á" * 70, "á" * 71, "á" * 134, "á" * 135, "á" * 201, "á" * 202,
    # emoji: 2 UTF-16 units each, a pair never split
    "😀", "😀" * 35, "😀" * 36, "a" * 66 + "😀", "a" * 68 + "😀", "a" * 69 + "😀", "a" * 65 + "😀" + "a" * 10,
    "a" * 66 + "😀" + "a" * 10, "a" * 66 + "😀" + "a" * 66, "😀" * 67, "Hi " + FAMILY + " see you at 10:00 🎉",
    "Line one\nLine two\nTotal: 30 €",
    "“Smart quotes” – dashes — and… ellipsis",
]


@pytest.fixture(scope="module")
def calculator():
    """segments and encoding per text, as the npm calculator sees them (one node run for all)."""
    if not CALCULATOR.exists() or shutil.which("node") is None:
        pytest.fail("the npm SMS calculator is missing: run `make test` (npm ci in tests/notifications)")

    def run(texts: list[str]) -> list[dict]:
        script = (
            "const {SegmentedMessage} = require('sms-segments-calculator');"
            "const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
            "console.log(JSON.stringify(texts.map(t => { const m = new SegmentedMessage(t);"
            " return {encoding: m.encodingName, segments: m.segmentsCount}; })));"
        )
        done = subprocess.run(["node", "-e", script], cwd=HERE, input=json.dumps(texts), capture_output=True,
                              text=True, check=True, timeout=60)
        return json.loads(done.stdout)

    return run


def test_segment_counts_and_encoding_match_the_independent_calculator(calculator):
    expected = calculator([t for t in CORPUS if t])
    ours = [measure(t) for t in CORPUS if t]
    mismatches = [(t[:40], o.encoding, o.segments, e) for t, o, e in zip([t for t in CORPUS if t], ours, expected)
                  if (o.encoding, o.segments) != (e["encoding"], e["segments"])]
    assert not mismatches


@pytest.mark.parametrize("mode", list(SmsMode))
def test_every_mode_reports_what_the_calculator_counts_for_the_text_it_sends(calculator, mode):
    sent = [encode(t, mode) for t in CORPUS if t]
    expected = calculator([s.text for s in sent if s.text])
    assert [(s.encoding, s.segments) for s in sent if s.text] == [(e["encoding"], e["segments"]) for e in expected]


def random_corpus(count: int = 400, seed: int = 20261123) -> list[str]:
    """Seeded random texts near the segment boundaries, from every kind of character that matters.
    (No combining marks, joiners or variation selectors: the calculator keeps a grapheme's code
    points together, a case our messages never produce at a boundary.)"""
    import random

    rng = random.Random(seed)
    pools = ["abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,:;!?-", "éèùìòàÇÉÄÖÑÜäöñüßØøÅåÆæΔΦΓΛΩ¡¿§",
             "€[]{}^~|\\", "áíóúçŠžõčřůěł", "✂★♥→", "😀🎉💇📅"]
    texts = []
    for _ in range(count):
        weights = [rng.choice([0, 1, 5, 30]) for _ in pools]
        weights[0] += 1
        length = rng.choice([rng.randint(60, 80), rng.randint(130, 140), rng.randint(150, 170), rng.randint(195, 210),
                             rng.randint(300, 320), rng.randint(455, 465)])
        chosen = rng.choices(pools, weights=weights, k=length)
        texts.append("".join(rng.choice(pool) for pool in chosen))
    return texts


def test_random_texts_near_the_boundaries_count_as_the_calculator_counts(calculator):
    texts = random_corpus()
    expected = calculator(texts)
    mismatches = [(t, m.encoding, m.segments, e) for t, m, e in zip(texts, map(measure, texts), expected)
                  if (m.encoding, m.segments) != (e["encoding"], e["segments"])]
    assert not mismatches, mismatches[:3]
    assert {m.encoding for m in map(measure, texts)} == {GSM7, UCS2}
    assert len({m.segments for m in map(measure, texts)}) >= 5


def test_the_alphabet_from_gsm0338_agrees_with_the_calculator_character_by_character(calculator):
    basic, extension = alphabet()
    chars = sorted(basic | extension)
    results = calculator(chars)
    assert all(r["encoding"] == GSM7 for r in results), [c for c, r in zip(chars, results) if r["encoding"] != GSM7]
    assert len(basic) == 127 and extension == set("\f^{}\\[~]|€")


@pytest.mark.parametrize("text, encoding, segments", [
    ("a" * 160, GSM7, 1), ("a" * 161, GSM7, 2), ("€" * 80, GSM7, 1), ("€" * 81, GSM7, 2),
    ("a" * 152 + "€", GSM7, 1),
    ("a" * 152 + "€" + "b" * 152, GSM7, 3),  # 306 septets, but the € cannot start in part 1's last septet
    ("á" * 70, UCS2, 1), ("á" * 71, UCS2, 2), ("😀" * 35, UCS2, 1), ("😀" * 36, UCS2, 2),
    ("a" * 66 + "😀", UCS2, 1), ("a" * 69 + "😀", UCS2, 2),
    ("a" * 66 + "😀" + "a" * 66, UCS2, 3),  # 134 units, but the pair cannot start in part 1's last unit
])
def test_known_boundaries(text, encoding, segments):
    measured = measure(text)
    assert (measured.encoding, measured.segments) == (encoding, segments)


def test_as_written_keeps_every_character_and_goes_unicode_when_needed():
    sent = encode("Cita en Salón Lucía 😀", SmsMode.AS_WRITTEN)
    assert sent.text == "Cita en Salón Lucía 😀" and sent.encoding == UCS2


def test_gsm7_mode_replaces_only_what_gsm7_lacks_and_keeps_its_accented_letters():
    sent = encode("Salón Lucía: miércoles, niño, Müller, Ça va, garçon, Šárka, Õie, “hi” – ok… 😀 bye", SmsMode.GSM7)
    assert sent.text == 'Salon Lucia: miércoles, niño, Müller, Ça va, garcon, Sarka, Oie, "hi" - ok... bye'
    assert sent.encoding == GSM7 and is_gsm7(sent.text)


def test_gsm7_mode_turns_letters_without_decomposition_into_their_base_letter():
    assert to_gsm7("Łódź, đak, Œuvre, ı") == "Lodz, dak, Oeuvre, i"


def test_cheapest_keeps_accents_when_they_cost_nothing_and_drops_them_when_they_save_a_segment():
    short = "Cita confirmada en Salón Lucía."  # 1 segment either way
    assert encode(short, SmsMode.CHEAPEST).text == short
    long = "Cita confirmada en Salón Lucía, " + "x" * 60  # UCS-2: 2 segments, GSM-7: 1
    sent = encode(long, SmsMode.CHEAPEST)
    assert sent.text.startswith("Cita confirmada en Salon Lucia") and (sent.encoding, sent.segments) == (GSM7, 1)
    assert encode(long, SmsMode.AS_WRITTEN).segments == 2


def test_a_text_already_in_gsm7_is_the_same_in_every_mode():
    text = "Precio: 25 € [promo]"
    assert {encode(text, m) for m in SmsMode} == {measure(text)}


def test_decomposed_accents_are_composed_first_so_they_stay_in_gsm7():
    decomposed = "Cafe\u0301 mu\u0308sli"  # é and ü written as a letter plus a combining mark
    sent = encode(decomposed, SmsMode.AS_WRITTEN)
    assert sent.text == "Café müsli" and sent.encoding == GSM7
