from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from innovation.startup import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovation.settings")

require_secret_key()
application = get_wsgi_application()
