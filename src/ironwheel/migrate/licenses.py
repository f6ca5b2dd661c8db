"""License strings and classifiers -> an SPDX license expression, where that is unambiguous.

A classifier or a ``license=`` string may name several SPDX licenses
("BSD License": 2- or 3-clause). The license file decides between them when
its text is clearly one of them; otherwise nothing is chosen and the report
asks the maintainer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

__all__ = ["LICENSE_CLASSIFIER", "spdx_expression"]

LICENSE_CLASSIFIER = "License :: "

# classifier (after "License :: OSI Approved :: " or "License :: ") -> the SPDX ids it may mean
_CLASSIFIERS: dict[str, tuple[str, ...]] = {
    "MIT License": ("MIT",),
    "MIT No Attribution License (MIT-0)": ("MIT-0",),
    "BSD License": ("BSD-3-Clause", "BSD-2-Clause"),
    "Apache Software License": ("Apache-2.0",),
    "ISC License (ISCL)": ("ISC",),
    "Python Software Foundation License": ("PSF-2.0",),
    "Mozilla Public License 2.0 (MPL 2.0)": ("MPL-2.0",),
    "GNU General Public License v2 (GPLv2)": ("GPL-2.0-only", "GPL-2.0-or-later"),
    "GNU General Public License v2 or later (GPLv2+)": ("GPL-2.0-or-later",),
    "GNU General Public License v3 (GPLv3)": ("GPL-3.0-only", "GPL-3.0-or-later"),
    "GNU General Public License v3 or later (GPLv3+)": ("GPL-3.0-or-later",),
    "GNU Lesser General Public License v2 (LGPLv2)": ("LGPL-2.0-only", "LGPL-2.0-or-later"),
    "GNU Lesser General Public License v2 or later (LGPLv2+)": ("LGPL-2.0-or-later",),
    "GNU Lesser General Public License v3 (LGPLv3)": ("LGPL-3.0-only", "LGPL-3.0-or-later"),
    "GNU Lesser General Public License v3 or later (LGPLv3+)": ("LGPL-3.0-or-later",),
    "GNU Affero General Public License v3": ("AGPL-3.0-only", "AGPL-3.0-or-later"),
    "GNU Affero General Public License v3 or later (AGPLv3+)": ("AGPL-3.0-or-later",),
    "zlib/libpng License": ("Zlib",),
    "The Unlicense (Unlicense)": ("Unlicense",),
    "Boost Software License 1.0 (BSL-1.0)": ("BSL-1.0",),
    "Eclipse Public License 2.0 (EPL-2.0)": ("EPL-2.0",),
    "Universal Permissive License (UPL)": ("UPL-1.0",),
    "Public Domain": (),
    "CC0 1.0 Universal (CC0 1.0) Public Domain Dedication": ("CC0-1.0",),
}
# Common free-text license= values.
_STRINGS: dict[str, tuple[str, ...]] = {
    "mit": ("MIT",),
    "mit license": ("MIT",),
    "the mit license": ("MIT",),
    "bsd": ("BSD-3-Clause", "BSD-2-Clause"),
    "bsd license": ("BSD-3-Clause", "BSD-2-Clause"),
    "new bsd": ("BSD-3-Clause",),
    "new bsd license": ("BSD-3-Clause",),
    "modified bsd": ("BSD-3-Clause",),
    "3-clause bsd": ("BSD-3-Clause",),
    "bsd 3-clause": ("BSD-3-Clause",),
    "bsd-3": ("BSD-3-Clause",),
    "simplified bsd": ("BSD-2-Clause",),
    "2-clause bsd": ("BSD-2-Clause",),
    "bsd 2-clause": ("BSD-2-Clause",),
    "apache": ("Apache-2.0",),
    "apache 2": ("Apache-2.0",),
    "apache 2.0": ("Apache-2.0",),
    "apache-2": ("Apache-2.0",),
    "apache license 2.0": ("Apache-2.0",),
    "apache license, version 2.0": ("Apache-2.0",),
    "apache software license": ("Apache-2.0",),
    "apache software license 2.0": ("Apache-2.0",),
    "isc": ("ISC",),
    "isc license": ("ISC",),
    "psf": ("PSF-2.0",),
    "python software foundation license": ("PSF-2.0",),
    "mpl 2.0": ("MPL-2.0",),
    "mpl-2.0": ("MPL-2.0",),
    "gplv2": ("GPL-2.0-only", "GPL-2.0-or-later"),
    "gplv2+": ("GPL-2.0-or-later",),
    "gplv3": ("GPL-3.0-only", "GPL-3.0-or-later"),
    "gplv3+": ("GPL-3.0-or-later",),
    "lgplv3": ("LGPL-3.0-only", "LGPL-3.0-or-later"),
    "lgplv3+": ("LGPL-3.0-or-later",),
    "lgpl": ("LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later"),
    "zlib": ("Zlib",),
    "unlicense": ("Unlicense",),
    "public domain": (),
}
# What a license file's text says about which one it is.
_TEXTS: dict[str, tuple[str, ...]] = {
    "MIT": ("permission is hereby granted, free of charge",),
    "BSD-3-Clause": ("redistribution and use in source and binary forms", "neither the name"),
    "BSD-2-Clause": ("redistribution and use in source and binary forms",),
    "Apache-2.0": ("apache license", "version 2.0"),
    "ISC": ("permission to use, copy, modify, and/or distribute this software for any",),
    "GPL-2.0-or-later": ("gnu general public license", "version 2", "or (at your option) any later version"),
    "GPL-3.0-or-later": ("gnu general public license", "version 3", "or (at your option) any later version"),
}


def _spdx(text: str) -> str | None:
    """``text`` when it is already an SPDX expression packaging accepts."""
    try:
        from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
    except ImportError:  # packaging before 24.2
        return None
    try:
        return str(canonicalize_license_expression(text))
    except InvalidLicenseExpression:
        return None


def _from_files(candidates: tuple[str, ...], files: Sequence[Path]) -> str | None:
    if len(candidates) == 1:
        return candidates[0]
    texts = []
    for path in files:
        try:
            texts.append(re.sub(r"\s+", " ", path.read_text(encoding="utf-8", errors="replace").lower()))
        except OSError:
            continue
    for text in texts:
        matching = [c for c in candidates if all(phrase in text for phrase in _TEXTS.get(c, ("\0",)))]
        # BSD-3-Clause's phrases include BSD-2-Clause's: the most specific wins.
        if "BSD-3-Clause" in matching:
            return "BSD-3-Clause"
        if len(matching) == 1:
            return matching[0]
        if matching and any(c.endswith("-or-later") for c in matching):
            return next(c for c in matching if c.endswith("-or-later"))
        only = [c for c in candidates if c.endswith("-only")]
        if (
            only
            and len(candidates) == 2
            and any(
                all(p in text for p in _TEXTS.get(c.replace("-only", "-or-later"), ("\0",))[:2]) for c in only
            )
        ):
            later = only[0].replace("-only", "-or-later")
            if later in candidates and "any later version" not in text:
                return only[0]
    return None


def spdx_expression(
    license_text: str | None, classifiers: Sequence[str], files: Sequence[Path]
) -> tuple[str | None, str]:
    """(the SPDX expression, "") or (None, why not)."""
    candidates: tuple[str, ...] | None = None
    described = ""
    if license_text and license_text.strip() and "\n" not in license_text.strip():
        stripped = license_text.strip()
        exact = _spdx(stripped)
        if exact is not None and stripped.lower() not in ("bsd", "apache", "gpl", "lgpl"):
            return exact, ""
        candidates = _STRINGS.get(stripped.lower().rstrip("."))
        described = f'license="{stripped}"'
    licensed = [c for c in classifiers if c.startswith(LICENSE_CLASSIFIER)]
    for classifier in licensed:
        name = classifier.split(" :: ")[-1]
        options = _CLASSIFIERS.get(name)
        if options is None:
            return None, f'no SPDX identifier is known for the classifier "{classifier}"'
        candidates = tuple(c for c in candidates if c in options) if candidates else options
        described = described or f'the classifier "{classifier}"'
    if len(licensed) > 1:
        return None, "several license classifiers: write the expression (e.g. 'MIT OR Apache-2.0') yourself"
    if candidates is None:
        if license_text and license_text.strip():
            return None, "the license text is not a name migrate knows"
        return None, ""
    if not candidates:
        return None, f"{described} has no SPDX identifier"
    chosen = _from_files(candidates, files)
    if chosen is None:
        return None, f"{described} may mean {' or '.join(candidates)}, and the license file does not tell"
    return chosen, ""
