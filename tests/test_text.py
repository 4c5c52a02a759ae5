"""Shared text helpers: one decoder, one folding rule."""

from analysis.core import text


def test_decode_reads_every_encoding_offices_save():
    sample = "Número;Año\nSí;2021\n"
    for encoding in ("utf-8", "utf-8-sig", "cp1252", "utf-16"):
        decoded = text.decode(sample.encode(encoding))
        assert decoded is not None and decoded[0].lstrip("\ufeff") == sample, encoding
    assert text.decode(b"PK\x03\x04\x00\x00binary") is None


def test_fold_and_slug_ignore_accents_case_and_punctuation():
    assert text.fold("  Número de  Muertos ") == "numero de muertos"
    assert text.fold("\ufeffCase_ID") == "case id"
    assert text.slug("Rutas y corredores: 2021") == "rutas_y_corredores_2021"
    assert text.slug("Perfil (sexo)", sep="-") == "perfil-sexo"
