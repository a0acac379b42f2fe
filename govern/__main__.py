import gc
import sys

gc.set_threshold(50_000, *gc.get_threshold()[1:])  # what govern.cli.app.main sets, already for its imports

from govern.cli.app import main  # noqa: E402

sys.exit(main())
