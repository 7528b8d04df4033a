// Another script of the shop already owns the name Sodam; the widget must not clobber it.
window.Sodam = { broken: true };
