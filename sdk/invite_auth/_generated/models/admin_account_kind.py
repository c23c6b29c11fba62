from enum import StrEnum


class AdminAccountKind(StrEnum):
    OPAQUE = "opaque"
    PASSWORD = "password"

    def __str__(self) -> str:
        return str(self.value)
