"""MIME for SOAP with Attachments: header parsing, transfer decoding, a push parser for
multipart bodies and a streaming writer. Nothing here knows about MM7."""
