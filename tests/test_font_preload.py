"""The bundle parses the font while its image workers run (fonts.preload_font): same font."""

from buyer_helper.pdf import fonts


def test_a_preloaded_font_gives_the_same_subset_and_is_used_once():
    chars = set("维权证据包 订单 第页共/ 0123456789 abc")
    fresh = fonts.subset_ttf("sans", chars)
    fonts.preload_font("sans")
    assert "sans" in fonts._preloaded
    assert fonts.subset_ttf("sans", chars) == fresh
    assert "sans" not in fonts._preloaded  # consumed: subsetting changed that font object
    assert fonts.subset_ttf("sans", chars) == fresh
