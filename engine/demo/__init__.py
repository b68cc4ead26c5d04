"""The demo, apart from the product: the Tomsk department's world (``world``) and its story run through
the workflows (``story``). Only ``nastavnik demo`` and the tests use it; nothing in the product imports it."""
