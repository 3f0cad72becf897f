"""budgetkg's Streamlit app: the router and the frame (``budgetkg app`` runs it).

Pages are declared in ``nav.py`` and live in ``views/``; every page calls :mod:`kg.api` through the
one store of :func:`search_app.state.get_kg`, opened with the settings of the app's command line.  On a fresh store the bundled samples are ingested
first, so the first screen is never empty.  The page icon is a file of the package, so the browser
asks nothing of any host but the app.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from kg.types import StoreError, error_message
from search_app import nav
from search_app.markup import md_escape
from search_app.state import ensure_samples, get_kg

ICON = Path(__file__).with_name("icon.svg")  # served by the app: a :material/…: icon is fetched from Google
STYLE = Path(__file__).with_name("style.css").read_text(encoding="utf-8")
st.set_page_config(page_title="budgetkg", page_icon=str(ICON), layout="wide")
current = st.navigation(nav.pages(), position="hidden")
nav.menu()
st.html(STYLE)

try:
    kg = get_kg()
except StoreError as exc:
    st.error(f"{md_escape(error_message(exc))}。")
    st.stop()
ensure_samples(kg)
current.run()
