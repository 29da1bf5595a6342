"""MIME for SOAP with Attachments: header parsing, transfer decoding, a push parser for
multipart bodies and a streaming writer. Nothing here knows about MM7."""

from collections.abc import Callable

#: How this package tells its caller about a tolerated deviation: (code, detail).
Report = Callable[[str, str], None]
