"""Nightly log rotation (cron), no model involved."""
import subprocess

subprocess.run(["logrotate", "/etc/logrotate.d/agents"], check=True)
