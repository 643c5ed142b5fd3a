from market_research.report import slugify


def test_slugify():
    assert slugify("European e-bike subscription market!") == "european-e-bike-subscription-market"
