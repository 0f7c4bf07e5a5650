"""Request and response shapes of the REST API: `requests` (checked input) and
`responses` (output and the error shape). Imported as one module (`serializers as s`)."""

from lens.api.serializers.requests import *  # noqa: F403
from lens.api.serializers.requests import unknown_codes  # noqa: F401
from lens.api.serializers.responses import *  # noqa: F403
