from enum import StrEnum


class ListAccountsKind(StrEnum):
    OPAQUE = "opaque"
    PASSWORD = "password"

    def __str__(self) -> str:
        return str(self.value)
