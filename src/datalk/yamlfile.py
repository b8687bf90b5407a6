"""Read a YAML file into a pydantic model with errors that name the file and the field."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from datalk.errors import ConfigError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ~10× faster
Model = TypeVar("Model", bound=BaseModel)


def load_model(path: Path, model: type[Model]) -> Model:
    """Parse and validate one YAML file whose stem must equal the model's ``id``."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path.name}: nelze načíst YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name}: očekáván slovník, ne {type(data).__name__}")
    try:
        spec = model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(kořen)'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"{path.name}: {problems}") from exc
    if getattr(spec, "id", path.stem) != path.stem:
        raise ConfigError(f"{path.name}: id '{spec.id}' se neshoduje s názvem souboru")
    return spec
