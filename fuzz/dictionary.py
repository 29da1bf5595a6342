"""Write a libFuzzer dictionary for fuzz_decode.py: the tokens a byte-level mutator would take
millions of runs to stumble on (MM7 element names, MIME header and parameter names, charset and
XML encoding names, boundary and encoded-word pieces).

Element names come from the spec tables, so the dictionary follows the schema as it changes.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEC = HERE.parent / "specs" / "mm7.toml"

SOAP_TOKENS = [
    "Envelope",
    "Header",
    "Body",
    "Fault",
    "faultcode",
    "faultstring",
    "detail",
    "TransactionID",
    "mustUnderstand",
    "encodingStyle",
    "xmlns",
    "xmlns:env",
    "xmlns:mm7",
    "http://schemas.xmlsoap.org/soap/envelope/",
    "http://www.w3.org/2003/05/soap-envelope",
    "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4",
    "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-5-MM7-1-0",
    '<?xml version="1.0"',
    "encoding=",
    "?>",
    "<!DOCTYPE",
    "<!ENTITY",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "&amp;",
    "&lt;",
    "&#x",
    "&#",
    'href="cid:',
    "cid:",
    "displayOnly",
    "addressCoding",
    "sequence",
    "replyChargingSize",
    "replyDeadline",
    "allowAdaptations",
    "UAProf",
    "TimeStamp",
    "true",
    "false",
    "1000",
    "2007",
    "4004",
    "P1D",
    "PT1H",
    "2026-01-01T00:00:00Z",
    "+08:00",
    "/TYPE=PLMN",
]
HEADER_TOKENS = [
    "Content-Type:",
    "Content-Transfer-Encoding:",
    "Content-ID:",
    "Content-Location:",
    "Content-Disposition:",
    "Content-Length:",
    "Transfer-Encoding: chunked",
    "SOAPAction:",
    "MIME-Version: 1.0",
    "POST /mm7 HTTP/1.1",
    "HTTP/1.1 200 OK",
    "Host:",
    "\r\n",
    "\r\n\r\n",
    "\r\n ",
    "\n\n",
    "multipart/related",
    "multipart/mixed",
    "multipart/alternative",
    "text/xml",
    "application/xml",
    "application/soap+xml",
    "application/smil",
    "text/plain",
    "image/jpeg",
    "base64",
    "quoted-printable",
    "7bit",
    "8bit",
    "binary",
]
PARAMETER_TOKENS = [
    "boundary=",
    'boundary="',
    'type="text/xml"',
    'start="<',
    "start-info=",
    "charset=",
    "name=",
    "filename=",
    "filename*=",
    "filename*0*=",
    "filename*1*=",
    "name*=",
    "''",
    "'en'",
    ";",
    '="',
    '\\"',
    "%20",
    "%",
]
CHARSETS = [
    "utf-8",
    "UTF-8",
    "utf8",
    "us-ascii",
    "iso-8859-1",
    "ISO-8859-15",
    "windows-1252",
    "utf-16",
    "UTF-16LE",
    "UTF-16BE",
    "utf-32",
    "gb2312",
    "GBK",
    "gb18030",
    "big5",
    "euc-kr",
    "shift_jis",
    "punycode",
    "undefined",
    "idna",
    "rot13",
    "utf-7",
]
BOUNDARY_AND_WORD_TOKENS = [
    "--",
    "--\r\n",
    "\r\n--",
    "=?",
    "?=",
    "?B?",
    "?Q?",
    "?b?",
    "?q?",
    "=?utf-8?B?",
    "=?utf-8?Q?",
    "=?iso-8859-1?q?",
    "=\r\n",
    "=3D",
    "==",
    "AA==",
    "=0D=0A",
]


def spec_element_names(spec: Path = SPEC) -> list[str]:
    """Every element name and enumeration value the tables know."""
    data = tomllib.loads(spec.read_text(encoding="utf-8"))
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "element" and isinstance(value, str):
                    found.add(value)
                elif key.endswith("values") and isinstance(value, list):
                    found.update(item for item in value if isinstance(item, str))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    found.update(data.get("messages", {}))
    return sorted(found)


def _escaped(token: str) -> str:
    """A token in libFuzzer's dictionary syntax: printable ASCII as is, the rest as \\xNN."""
    out = []
    for byte in token.encode("utf-8"):
        char = chr(byte)
        if char in '"\\' or not 0x20 <= byte < 0x7F:
            out.append(f"\\x{byte:02x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def dictionary_lines(groups: Iterable[Iterable[str]]) -> Iterator[str]:
    seen: set[str] = set()
    for group in groups:
        for token in group:
            if token and token not in seen:
                seen.add(token)
                yield _escaped(token)


def main(target: Path) -> None:
    groups = [
        spec_element_names(),
        SOAP_TOKENS,
        HEADER_TOKENS,
        PARAMETER_TOKENS,
        CHARSETS,
        BOUNDARY_AND_WORD_TOKENS,
    ]
    lines = list(dictionary_lines(groups))
    target.write_text("\n".join(lines) + "\n", encoding="ascii")
    print(f"wrote {len(lines)} tokens to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "mm7.dict")
