#!/usr/bin/env python3
"""Turn a synthetic casebook site (examples/synth.rs) into the same corpus for Hugo.

casebook translations inherit the shared facets (country, topics, programme, level...)
from the default-language file; Hugo has no such inheritance, so every language file gets
the facets written out, as Hugo taxonomies (lists). `published` becomes Hugo's `date`.
Usage: hugo_corpus.py SYNTH_SITE HUGO_SITE
"""

import os
import re
import shutil
import sys

FACETS = ("country", "coordinates", "programme", "topics", "level", "start", "end", "budget", "related", "region")


def split(text):
    assert text.startswith("---\n"), "front matter expected"
    end = text.index("\n---\n", 4)
    return text[4:end], text[end + 5:]


def main(src, dst):
    practices = os.path.join(src, "content", "practices")
    out = os.path.join(dst, "content", "practices")
    if os.path.exists(dst):
        shutil.rmtree(dst)
    os.makedirs(out)
    shutil.copytree(os.path.join(os.path.dirname(os.path.abspath(__file__)), "hugo", "layouts"), os.path.join(dst, "layouts"))
    shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "hugo", "config.yaml"), os.path.join(dst, "config.yaml"))
    shared = {}
    names = sorted(os.listdir(practices))
    for name in names:
        if name.count(".") == 1:
            fm, _ = split(open(os.path.join(practices, name), encoding="utf-8").read())
            shared[name[:-3]] = [l for l in fm.splitlines() if l.split(":")[0] in FACETS]
    for name in names:
        text = open(os.path.join(practices, name), encoding="utf-8").read()
        fm, body = split(text)
        slug = name.split(".")[0]
        lines = [l for l in fm.splitlines() if l.split(":")[0] not in FACETS]
        facets = dict((l.split(":", 1)[0], l.split(":", 1)[1].strip()) for l in shared[slug])
        lines = [re.sub(r"^published:", "date:", l) for l in lines]
        lines.append("topics: %s" % facets["topics"])
        lines.append("countries: [%s]" % facets["country"].lower())
        lines.append("programmes: [%s]" % facets["programme"])
        lines.append("levels: [%s]" % facets["level"])
        for key in ("region", "coordinates", "start", "end", "budget"):
            if key in facets:
                lines.append("%s: %s" % (key, facets[key]))
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write("---\n" + "\n".join(lines) + "\n---\n" + body)
    pages = os.path.join(src, "content", "pages")
    if os.path.isdir(pages):
        os.makedirs(os.path.join(dst, "content", "pages"))
        for name in os.listdir(pages):
            shutil.copy(os.path.join(pages, name), os.path.join(dst, "content", "pages", name))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
