"""The public API is typed (PEP 561): the package ships py.typed, and
every public function and method names the types of its arguments and
of what it returns."""
import inspect
import os

import mdexafs


def public_callables():
    for name in mdexafs.__all__ + ["open"]:
        obj = getattr(mdexafs, name)
        if inspect.isclass(obj):
            if issubclass(obj, Exception) or name in ("Path", "Folder"):
                continue
            for attr, member in vars(obj).items():
                if callable(member) and (not attr.startswith("_")
                                         or attr == "__init__"):
                    yield "%s.%s" % (name, attr), member
                elif isinstance(member, property):
                    yield "%s.%s" % (name, attr), member.fget
        elif callable(obj):
            yield name, obj


def test_the_package_says_it_is_typed():
    assert os.path.isfile(os.path.join(os.path.dirname(mdexafs.__file__),
                                       "py.typed"))


def test_every_public_function_is_annotated():
    missing = []
    names = set()
    for name, fn in public_callables():
        names.add(name)
        sig = inspect.signature(fn)
        if sig.return_annotation is inspect.Signature.empty:
            missing.append(name + " -> ?")
        for p in sig.parameters.values():
            if p.name not in ("self", "cls") and \
                    p.annotation is inspect.Parameter.empty:
                missing.append("%s(%s)" % (name, p.name))
    assert missing == []
    assert {"fit", "figure", "Result.kweight", "Result.__init__",
            "Selection.average", "source"} <= names
