"""A file storage that lets a test run something at the moment a key is written or read: the
window in which another request can delete the album under an upload in progress."""

from django.core.files.storage import FileSystemStorage

# prefix of the key -> what to run when it is first touched (then forgotten)
hooks: dict[str, callable] = {}


class RacingStorage(FileSystemStorage):
    def _fire(self, name: str) -> None:
        for prefix in list(hooks):
            if name.startswith(prefix):
                hooks.pop(prefix)()

    def _save(self, name, content):
        saved = super()._save(name, content)
        self._fire(saved)
        return saved

    def _open(self, name, mode="rb"):
        self._fire(name)
        return super()._open(name, mode)
