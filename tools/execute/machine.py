"""What kind of machine produced a chapter's outputs, and whether this one is the same.

``tools/execute/execute.py`` records :func:`identity` in a chapter's
``metadata.book.machine`` when it saves the outputs. The verification compares a
chapter exactly where :func:`same_kind` holds (the same CPU model and count, the same
TensorFlow, Keras and NumPy: nothing left to move the last digit) and within the
measured tolerances (``book/tolerances.json``) everywhere else.
"""

from __future__ import annotations

import os
import platform
from importlib.metadata import PackageNotFoundError, version

# The fields of /proc/cpuinfo that name a CPU model: vendor, family, model, stepping
# and the marketing name. Two CPUs that agree on all five run the same microcode paths.
CPUINFO_FIELDS = ("vendor_id", "cpu family", "model", "stepping", "model name")
PACKAGES = {"tensorflow": ("tensorflow-cpu", "tensorflow"), "keras": ("keras",)}
PACKAGES["numpy"] = ("numpy",)


def cpu_model(cpuinfo: str | None = None) -> str:
    """This CPU's model, e.g. 'AuthenticAMD family 25 model 17 stepping 1 (AMD EPYC)'.

    CPUINFO is /proc/cpuinfo's text (read here on Linux); elsewhere the platform's
    own processor string stands in."""
    if cpuinfo is None:
        try:
            with open("/proc/cpuinfo", encoding="utf-8") as f:
                cpuinfo = f.read()
        except OSError:
            return f"{platform.machine()} {platform.processor()}".strip()
    fields: dict[str, str] = {}
    for line in cpuinfo.split("\n\n")[0].splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    vendor, family, model, stepping, name = (fields.get(k, "?") for k in CPUINFO_FIELDS)
    return f"{vendor} family {family} model {model} stepping {stepping} ({name})"


def cpu_count() -> int:
    """The CPUs this process may use (what TensorFlow sizes its pools by)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def installed(names: tuple[str, ...]) -> str:
    for name in names:
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return "none"


def identity() -> dict[str, str | int]:
    """This machine, as far as it decides a chapter's printed digits."""
    found: dict[str, str | int] = {"cpu": cpu_model(), "cpus": cpu_count()}
    for package, names in PACKAGES.items():
        found[package] = installed(names)
    return found


def same_kind(recorded: dict | None, here: dict | None = None) -> bool:
    """Whether RECORDED (a chapter's metadata.book.machine) is this machine's kind."""
    here = identity() if here is None else here
    return bool(recorded) and all(recorded.get(k) == v for k, v in here.items())


def differences(recorded: dict | None, here: dict | None = None) -> list[str]:
    """What differs between RECORDED and this machine, for a report."""
    here = identity() if here is None else here
    if not recorded:
        return ["the outputs record no machine"]
    return [
        f"{k}: {recorded.get(k)!r} there, {v!r} here"
        for k, v in here.items()
        if recorded.get(k) != v
    ]
