"""Korean figures, drawn once (tools/execute/figure_text.py says why and how).

Active only in kernels started with this profile and with BOOK_FIGURES_KO naming the
figure catalog (tools/execute/execute.py sets it when it saves a chapter's outputs;
verification runs leave it out). Learners never load this file: their figures are
drawn as the code says.

Two hooks, both outside the learner's code:
- IPython's display formatter: after a matplotlib figure is formatted as usual (the
  English PNG), the figure is drawn again with its texts in Korean, in the same layout
  and the same canvas, and the PNG goes into the output's metadata ``book.ko``;
- matplotlib's ``Animation.to_jshtml`` (the setup cell's ``demo()`` players): the
  frames are drawn a second time with Korean texts, and the player with the same ids
  goes into the metadata of the HTML output that shows the English one.
"""


def _install_korean_figures():
    import logging
    import os
    import re
    import warnings

    path = os.environ.get("BOOK_FIGURES_KO")
    if not path:
        return
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    import matplotlib
    from IPython.core.pylabtools import print_figure
    from matplotlib import animation
    from matplotlib.figure import Figure
    from matplotlib.text import Text
    from matplotlib.ticker import Formatter

    from tools.execute import figure_text as ft

    catalog = ft.load_catalog(path)
    uid = re.compile(r"[0-9a-f]{32}")

    class Swap:
        """The figure's texts in Korean, and back."""

        def __init__(self, fig):
            self.fig, self.undo, self.pairs, self.korean = fig, [], {}, set()

        def korean_of(self, english):
            korean = ft.translate(english, catalog)
            self.pairs.setdefault(english, korean)
            if korean is not None:
                self.korean.add(korean)
            return korean

        def __enter__(self):
            # Tick names are written by the axis's formatter at each draw (a bar
            # chart's class names): the formatter's words pass through the catalog.
            swap = self

            class Words(Formatter):
                def __init__(self, inner):
                    self.inner = inner

                def word(self, text):
                    text = str(text)
                    return (
                        (swap.korean_of(text) or text)
                        if ft.translatable(text)
                        else text
                    )

                def __call__(self, x, pos=None):
                    return self.word(self.inner(x, pos))

                def format_ticks(self, values):
                    return [self.word(t) for t in self.inner.format_ticks(values)]

                def get_offset(self):
                    return self.inner.get_offset()

                def set_locs(self, locs):
                    self.inner.set_locs(locs)

            for ax in self.fig.axes:
                for axis in ax._axis_map.values():
                    for ticker in (axis.major, axis.minor):
                        self.undo.append((ticker, "formatter", ticker.formatter))
                        ticker.formatter = Words(ticker.formatter)
            for text in self.fig.findobj(Text):
                english = text.get_text()
                if text.get_visible() and ft.translatable(english):
                    korean = self.korean_of(english)
                    if korean is not None and korean != english:
                        self.undo.append((text, "text", english))
                        text.set_text(korean)
            return self

        def untranslated(self):
            """Texts still showing English after a Korean draw."""
            return sorted(
                {
                    t.get_text()
                    for t in self.fig.findobj(Text)
                    if t.get_visible()
                    and ft.translatable(t.get_text())
                    and t.get_text() not in self.korean
                    and ft.translate(t.get_text(), catalog) != t.get_text()
                }
            )

        def __exit__(self, *exc):
            for target, what, old in reversed(self.undo):
                if what == "formatter":
                    target.formatter = old
                else:
                    target.set_text(old)

    class Frozen:
        """The layout computed for the English kept for the Korean draw."""

        def __init__(self, fig):
            self.engine = fig.get_layout_engine()

        def __enter__(self):
            if self.engine is not None:
                self.engine.execute = lambda fig: None

        def __exit__(self, *exc):
            if self.engine is not None:
                del self.engine.execute

    def boxes(fig, renderer, bbox, dpi, height, korean=frozenset()):
        """Pixel boxes (x0, y0, x1, y1, top-left origin) of what a text change may
        move: the texts, legends, text frames and annotation arrows."""
        found = []

        def worded(text):
            words = text.get_text()
            return text.get_visible() and (ft.translatable(words) or words in korean)

        artists = [t for t in fig.findobj(Text) if worded(t)]
        legends = [ax.get_legend() for ax in fig.axes] + list(fig.legends)
        artists += [
            legend
            for legend in legends
            if legend is not None and any(worded(t) for t in legend.get_texts())
        ]
        for artist in list(artists):
            if isinstance(artist, Text) and artist.get_bbox_patch() is not None:
                artists.append(artist.get_bbox_patch())
            arrow = getattr(artist, "arrow_patch", None)
            if arrow is not None:
                artists.append(arrow)
        for artist in artists:
            box = artist.get_window_extent(renderer)
            x0 = box.x0 - bbox.x0 * dpi
            x1 = box.x1 - bbox.x0 * dpi
            top = height - (box.y1 - bbox.y0 * dpi)
            bottom = height - (box.y0 - bbox.y0 * dpi)
            found.append([round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1)])
        return found

    class Quiet:
        """Nothing the Korean draw says reaches the cell's output; a glyph the fonts
        lack (Hangul inside math, drawn by the math fonts) is recorded instead."""

        def __enter__(self):
            self.logger = logging.getLogger("matplotlib")
            self.handlers, self.logger.handlers = self.logger.handlers, []
            self.records = []
            handler = logging.Handler()
            handler.emit = self.records.append
            self.logger.addHandler(handler)
            self.caught = warnings.catch_warnings(record=True)
            self.warned = self.caught.__enter__()
            warnings.simplefilter("always")
            return self

        def __exit__(self, *exc):
            self.caught.__exit__(*exc)
            self.logger.handlers = self.handlers

        def missing(self):
            said = [r.getMessage() for r in self.records] + [
                str(w.message) for w in self.warned
            ]
            return sorted({m for m in said if "glyph" in m.lower()})

    def korean_figure(fig):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        dpi = fig.dpi
        pad = matplotlib.rcParams["savefig.pad_inches"]
        bbox = fig.get_tightbbox(renderer).padded(pad)
        height = bbox.height * dpi
        english_boxes = boxes(fig, renderer, bbox, dpi, height)
        with Frozen(fig), Swap(fig) as swap, Quiet() as quiet:
            png = print_figure(fig, "png", bbox_inches=bbox, base64=True)
            fig.canvas.draw()
            korean_boxes = boxes(fig, renderer, bbox, dpi, height, swap.korean)
            untranslated = swap.untranslated()
        size = [bbox.width * dpi, height]
        clipped = [
            b
            for b in korean_boxes
            if b[0] < -1 or b[1] < -1 or b[2] > size[0] + 1 or b[3] > size[1] + 1
        ]
        return {
            "image/png": png,
            "texts": [[en, ko] for en, ko in swap.pairs.items()],
            "untranslated": untranslated,
            "masks": english_boxes + korean_boxes,
            "clipped": clipped,
            "missing_glyphs": quiet.missing(),
        }

    players = {}  # an English player, as to_jshtml returned it -> (Korean, texts)
    to_jshtml = animation.Animation.to_jshtml

    def korean_to_jshtml(self, *args, **kwargs):
        english = to_jshtml(self, *args, **kwargs)
        if not isinstance(self, animation.FuncAnimation):
            return english
        fig, draw = self._fig, self._func
        swaps, left = [], set()

        def korean_frame(*frame_args):
            if swaps:  # the previous frame, as it was grabbed
                left.update(swaps[-1].untranslated())
            result = draw(*frame_args)
            swap = Swap(fig)
            swap.__enter__()  # left in Korean for the frame's picture
            swaps.append(swap)
            return result

        del self._html_representation
        self._func = korean_frame
        try:
            with Quiet() as quiet:
                korean = to_jshtml(self, *args, **kwargs)
            if swaps:
                left.update(swaps[-1].untranslated())
        finally:
            self._func = draw
            for swap in reversed(swaps):
                swap.__exit__()
            self._html_representation = english
        ids = dict(
            zip(dict.fromkeys(uid.findall(korean)), dict.fromkeys(uid.findall(english)))
        )
        korean = uid.sub(lambda m: ids.get(m.group(), m.group()), korean)
        pairs = {}
        for swap in swaps:
            for en, ko in swap.pairs.items():
                pairs.setdefault(en, ko)
        untranslated = sorted(left)
        players[english] = (
            korean,
            [[en, ko] for en, ko in pairs.items()],
            untranslated,
            quiet.missing(),
        )
        return english

    animation.Animation.to_jshtml = korean_to_jshtml

    def korean_player(page):
        """The Korean twin of a player page, after demo() renamed its ids."""
        for english, (korean, texts, untranslated, missing) in players.items():
            pieces = uid.split(english)  # the page around its ids
            if len(pieces) < 3 or not page.startswith(pieces[0]) or not pieces[1]:
                continue
            start = len(pieces[0])
            end = page.find(pieces[1], start)
            name = page[start:end]
            if end < 0 or name.join(pieces) != page:
                continue
            page_ko = re.sub(uid, name, korean)
            return {
                "text/html": page_ko,
                "texts": texts,
                "untranslated": untranslated,
                "missing_glyphs": missing,
            }
        return None

    formatter = shell.display_formatter
    original = formatter.format

    def format(obj, include=None, exclude=None):
        data, metadata = original(obj, include=include, exclude=exclude)
        korean = None
        if isinstance(obj, Figure) and "image/png" in data:
            korean = korean_figure(obj)
        elif "text/html" in data and players and "_anim_img" in data["text/html"]:
            korean = korean_player(data["text/html"])
        if korean is not None:
            metadata.setdefault(ft.METADATA_KEY, {})["ko"] = korean
        return data, metadata

    formatter.format = format


_install_korean_figures()
del _install_korean_figures
