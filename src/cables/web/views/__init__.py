"""One module per part of the site: home, cable, browse, search, about, errors."""
