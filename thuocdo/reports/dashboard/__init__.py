"""The reports dashboard ("Tổng quan"): a subtree's year drawn as charts — the level bars, the
units' HTXS shares, the map shaded by share and the focused group's trend — computed from the
shared distribution report (`charts`, pure data for the vendored Chart.js) and shown by one
page (`views`).
"""
