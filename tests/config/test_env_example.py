""".env.example lists every environment variable the settings read, with its default."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READERS = {"env_str", "env_bool", "env_int", "env_list"}  # config/env.py
SOURCES = [*sorted((ROOT / "config" / "settings").glob("*.py")), ROOT / "manage.py"]


def _literal(node: ast.expr | None) -> str:
    """A default as .env.example writes it; "" when there is none or it is computed."""
    if node is None:
        return ""
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(value)
    return "" if value is None else str(value)


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):  # os.environ.get / os.environ.setdefault / os.getenv
        return ast.unparse(func)
    return ""


def variables_read() -> dict[str, set[str]]:
    """Each variable read by the settings (and manage.py), with the defaults it is read with."""
    found: dict[str, set[str]] = {}
    for source in SOURCES:
        for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = _call_name(node)
            readers = READERS | {"os.environ.get", "os.environ.setdefault", "os.getenv"}
            first = node.args[0]
            if name in readers and isinstance(first, ast.Constant):
                default = node.args[1] if len(node.args) > 1 else None
                found.setdefault(first.value, set()).add(_literal(default))
    return found


def variables_listed() -> dict[str, str]:
    text = (ROOT / ".env.example").read_text()
    return dict(re.findall(r"^#?([A-Z][A-Z0-9_]*)=(.*)$", text, flags=re.MULTILINE))


def test_every_variable_the_settings_read_is_listed_with_one_of_its_defaults():
    read, listed = variables_read(), variables_listed()
    assert {"SECRET_KEY", "DATABASE_URL", "ELASTICSEARCH_URL", "TEST_RUN_ID"} <= read.keys()
    assert sorted(read.keys() - listed.keys()) == []
    wrong = {name: (listed[name], defaults) for name, defaults in read.items()}
    assert {name: v for name, v in wrong.items() if v[0] not in v[1]} == {}


def test_every_django_variable_listed_is_read_by_the_settings():
    services = {"WIKI_ES_TIMEOUT", "WIKI_SERVICES_CACHE", "WIKI_ES_PORT"}  # services/*.sh
    assert sorted(variables_listed().keys() - variables_read().keys() - services) == []
