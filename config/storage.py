"""Static files in production: WhiteNoise's compressed, hashed storage, tolerant of the few
references in GOV.UK Frontend's stylesheet to files deliberately left out."""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

log = logging.getLogger(__name__)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """GOV.UK Frontend's CSS names the GOV.UK crest (for the crown copyright logo), which is
    vendored brand-neutral without it: it may only be used by GOV.UK services. The plain
    storage refuses the whole `collectstatic` for that one missing file; this one leaves such a
    reference as written (it is never displayed, since no page uses the copyright logo)."""

    def hashed_name(self, name: str, content=None, filename: str | None = None) -> str:
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is None and not self.exists(self.clean_name(name)):
                log.info("Static file %s is referenced but not shipped; left unhashed.", name)
                return name
            raise
