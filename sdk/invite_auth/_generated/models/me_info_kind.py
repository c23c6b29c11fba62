from enum import StrEnum


class MeInfoKind(StrEnum):
    OPAQUE = "opaque"
    PASSWORD = "password"

    def __str__(self) -> str:
        return str(self.value)
