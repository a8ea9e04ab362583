#!/usr/bin/env bash
# ansible-test runs this script instead of running the target as a role. Its generated playbook names
# a role target by its bare name, and inside this collection `servicenow_sim` resolves to the
# collection's role of that name, not to this target. runme.yml loads this directory as a role by path.
# Outside ansible-test, the target still runs as a role from a playbook outside the collection:
#   ANSIBLE_ROLES_PATH=tests/integration/targets ansible-playbook ... (roles: [servicenow_sim])
set -eux
export ANSIBLE_ROLES_PATH=..
config=()
# ansible-test hands integration_config.yml (the emulator URLs) to role targets only; read it here.
if [ -f ../../integration_config.yml ]; then
  config=(-e @../../integration_config.yml)
fi
ansible-playbook runme.yml -i "${INVENTORY_PATH}" "${config[@]}" "$@"
