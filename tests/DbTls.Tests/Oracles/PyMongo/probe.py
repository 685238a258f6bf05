# The PyMongo oracle: MongoClient(uri, **kwargs) with the keyword arguments given as KEY=VALUE strings (as the CLI's
# --option gives them), then one "ping" through server selection. Prints one line:
#   OK                         the ping succeeded
#   CONFIG <class> <message>   MongoClient refused the options (ConfigurationError, InvalidURI, ValueError, ...)
#   FAIL <class> <message>     server selection or the command failed (TLS, certificate, authentication)
# Run with Debian's python3-pymongo: /usr/bin/python3 probe.py <uri> [KEY=VALUE ...]
import sys

import pymongo


def main():
    uri = sys.argv[1]
    kwargs = dict(arg.split("=", 1) for arg in sys.argv[2:])
    try:
        client = pymongo.MongoClient(uri, **kwargs)
    except Exception as e:  # noqa: BLE001 - every refusal is an answer
        print("CONFIG", type(e).__name__, str(e).replace("\n", " "))
        return
    try:
        client.admin.command("ping")
        print("OK")
    except Exception as e:  # noqa: BLE001
        print("FAIL", type(e).__name__, str(e).replace("\n", " ")[:300])
    finally:
        client.close()


main()
