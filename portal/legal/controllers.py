"""/rules: the Kazakh text of the Rules with clause anchors, and our Russian and English summaries."""

from litestar import get
from litestar.response import Template

from portal.core.access import PUBLIC
from portal.i18n import get_language
from portal.legal import summaries
from portal.legal.decree import load_decree


@get("/rules", name="rules", opt=PUBLIC)
async def rules_page() -> Template:
    language = get_language()
    return Template(
        "legal/rules.html",
        context={
            "decree": load_decree(),
            "s": summaries,
            "disclaimer": summaries.DISCLAIMER[language],
            "summary_label": summaries.SUMMARY_LABEL[language],
            # The Kazakh page is the text itself; Russian and English pages add the summaries.
            "summary_language": None if language == "kk" else language,
        },
    )
