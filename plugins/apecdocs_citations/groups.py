"""CSL's group suppression, as the specification defines it (installed by ``patches``).

CSL 1.0.2, "Group": *cs:group implicitly acts as a conditional: cs:group and its child
elements are suppressed if a) at least one rendering element in cs:group calls a
variable (either directly or via a macro), and b) all variables that are called are
empty.* citeproc-py instead counted a rendered child group or choose as a rendered
variable, so IEEE printed "[Online]. Available: URL" for web items without an access
date (the term-only "[Online]" group made its empty "Accessed" sibling's parent print),
APA "(Publication)", Chicago "Edition.".

Here every variable-rendering element (cs:text with a variable, cs:date, cs:number,
cs:names) counts as called, and as non-empty when it renders something, in the
innermost enclosing group (a macro that prints counts as a non-empty variable); a
group adds its counts to the group around it, so the rule sees the variables called
anywhere below it, through macros, nested groups and the branches of cs:choose
actually taken (as citeproc-js and pandoc's citeproc do). A cs:text counts itself (in
``elements``, where it renders): a variable counts as called; a macro that prints counts
as a non-empty variable (CSL 1.0.2: *When a cs:group contains a child cs:macro, if the
cs:macro is non-empty, it is treated as a non-empty variable for the purposes of
determining suppression of the outer cs:group*), so APA's "(n.d.)" stays when all else
is empty.
"""

from __future__ import annotations

import threading
from typing import Any

from citeproc import model
from citeproc.source import VariableError

from . import speedups

_state = threading.local()
GENERATED = model.Text.generated_variables  # a cs:text of one of these calls no variable
_CHILDREN = speedups.children_attribute()  # where speedups.children keeps them


def current() -> list[list[int]] | None:
    """This thread's open groups, innermost last: ``[variables called, variables that
    printed]`` each (``elements`` counts cs:text in them as ``_counting`` counts the rest)."""
    return getattr(_state, "frames", None)


def _frames() -> list[list[int]]:
    frames = getattr(_state, "frames", None)
    if frames is None:
        frames = _state.frames = []
    return frames


def _counting(original: Any, calls: Any) -> Any:
    """``render`` that records the call, and whether it printed, in the current group."""

    def render(self: Any, *args: Any, **kwargs: Any) -> Any:
        frames = getattr(_state, "frames", None)
        if not frames or not calls(self):
            return original(self, *args, **kwargs)
        frame = frames[-1]
        frame[0] += 1
        out = original(self, *args, **kwargs)
        if out:
            frame[1] += 1
        return out

    return render


def _date_calls(element: Any) -> bool:
    return element.get("variable") is not None  # not a locale's date format


def _always(element: Any) -> bool:
    return True


def _group_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    frames = _frames()
    frame = [0, 0]  # variables called, variables that printed something
    frames.append(frame)
    output = []
    delimiter = self.__dict__.get("_apecdocs_delimiter")
    if delimiter is None:  # a cs:choose child is delimited by the group; read once
        delimiter = self.__dict__["_apecdocs_delimiter"] = self.get("delimiter", "")
    try:
        for child, choose in self.__dict__.get(_CHILDREN) or speedups.children(self):
            try:
                if choose:
                    text = child.render(item, context=context, delimiter=delimiter, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except VariableError:
                continue
            if text is not None:
                output.append(text)
    finally:
        frames.pop()
        if frames:
            frames[-1][0] += frame[0]
            frames[-1][1] += frame[1]
    if not output or (frame[0] and not frame[1]):
        raise VariableError
    return self.join(output)


def _group_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """citeproc-py's ``render`` of a cs:group (markup of the process), one call less."""
    return self.markup(_group_process(self, item, context, **kwargs))


def install() -> None:
    model.Group.process = _group_process
    model.Group.render = _group_render
    model.Date.render = _counting(model.Date.render, _date_calls)
    model.Number.render = _counting(model.Number.render, _always)
    model.Names.render = _counting(model.Names.render, _always)
