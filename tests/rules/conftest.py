from collections.abc import Iterator

import pydantic_ai.models
import pytest

from numzy_mcp.rules.sandbox import SandboxPool

pydantic_ai.models.ALLOW_MODEL_REQUESTS = False


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxPool]:
    """A warm pool of two sandbox workers shared by the whole session."""
    with SandboxPool(size=2, cpu_seconds=1.0, wall_seconds=3.0) as pool:
        pool.warm_up()
        yield pool
