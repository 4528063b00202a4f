"""Django's own strings that its Japanese catalogue lacks or gets wrong, translated in ours.

Our catalogue (LOCALE_PATHS) comes before Django's, so a msgid translated there wins everywhere.
`makemessages --no-obsolete` only keeps msgids found in our code, hence the marks here; nothing
imports this module.
"""

from django.utils.translation import gettext_noop

# Django 6.1's empty choice of every select (forms.ModelChoiceField, blank model choices).
gettext_noop("- Select an option -")
# Django's Japanese says "enter some characters" for this, which misleads (core.forms.TextField
# removes NUL from our text fields; forms elsewhere still meet it).
gettext_noop("Null characters are not allowed.")
