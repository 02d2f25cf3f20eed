"""A lenient BibTeX style: the package's .bib files hold web pages, patents, press
releases and databases next to articles, some without a journal or publisher; pybtex's
strict styles reject those. Every entry is formatted as author, year, title, then
whatever of journal/booktitle/publisher/howpublished/note it has, and DOI or URL."""

from __future__ import annotations

import contextlib

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import field, join, optional, sentence, words


class AlrefStyle(UnsrtStyle):
    default_sorting_style = "author_year_title"

    def _any(self, e):
        persons = e.persons.get("author") or e.persons.get("editor")
        who = self.format_names("author", as_sentence=False) if e.persons.get("author") else (
            self.format_names("editor", as_sentence=False) if persons else
            optional[field("organization")])
        return join(sep=". ")[
            sentence(add_period=False)[who],
            optional[field("year")],
            self.format_title(e, "title", as_sentence=False) if "title" in e.fields else Text(),
            optional[field("journal")],
            optional[field("booktitle")],
            optional[words[optional[field("volume")], optional[field("pages")]]],
            optional[field("publisher")],
            optional[field("institution")],
            optional[field("howpublished", raw=True)],
            optional[field("note")],
            optional[join["doi:", field("doi", raw=True)]],
            optional[field("url", raw=True)],
        ]

    def get_article_template(self, e):
        return self._any(e)

    get_book_template = get_article_template
    get_inproceedings_template = get_article_template
    get_incollection_template = get_article_template
    get_misc_template = get_article_template
    get_techreport_template = get_article_template
    get_manual_template = get_article_template
    get_phdthesis_template = get_article_template
    get_mastersthesis_template = get_article_template
    get_unpublished_template = get_article_template
    get_inbook_template = get_article_template
    get_booklet_template = get_article_template
    get_patent_template = get_article_template
    get_online_template = get_article_template
    get_dataset_template = get_article_template
    get_standard_template = get_article_template
    get_electronic_template = get_article_template
    get_report_template = get_article_template
    get_software_template = get_article_template
    get_webpage_template = get_article_template


def register() -> None:
    with contextlib.suppress(Exception):
        register_plugin("pybtex.style.formatting", "alref", AlrefStyle)
