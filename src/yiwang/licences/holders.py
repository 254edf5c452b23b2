"""Who holds a licence: a citizen (code type 111, citizen ID number) or an organisation (001,
USCC). The code is personal data for citizens: stored encrypted, found through a blind index,
shown masked."""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.licences.workflow import HolderKind
from yiwang.platform.crypto import blind_index
from yiwang.platform.errors import FieldError, InvalidInput
from yiwang.platform.masking import mask_citizen_id, mask_name
from yiwang.platform.validators import normalise_citizen_id, normalise_uscc


@dataclass(frozen=True)
class Holder:
    code_type: str
    code: str
    name: str = ""

    @property
    def index(self) -> str:
        return holder_index(self.code_type, self.code)


def holder_index(code_type: str, code: str) -> str:
    return blind_index(f"{code_type}:{code}", purpose="licence_holder")


def normalise_holder_code(code_type: str, code: str, *, field: str = "holder_code") -> str:
    """The code in its canonical form; `InvalidInput` with a Chinese message otherwise."""
    try:
        if code_type == HolderKind.CITIZEN:
            return normalise_citizen_id(code)
        if code_type == HolderKind.ENTERPRISE:
            return normalise_uscc(code)
    except InvalidInput as error:
        raise InvalidInput(code=error.code, errors=[FieldError(field, error.message)]) from None
    raise InvalidInput(errors=[FieldError("holder_code_type", "持证主体代码类型应为 111 或 001")])


def mask_holder_code(code_type: str, code: str) -> str:
    if code_type == HolderKind.CITIZEN:
        return mask_citizen_id(code)
    return code  # a USCC is public


def mask_holder_name(code_type: str, name: str) -> str:
    return mask_name(name) if code_type == HolderKind.CITIZEN else name
