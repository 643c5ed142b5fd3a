"""SNMP agent exposing queue depths (read-only, v2c)."""

import os

import yaml
from pysnmp.carrier.asyncore.dgram import udp
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import cmdrsp, context

from .mib import register_queue_table


def build_agent(path: str) -> engine.SnmpEngine:
    with open(path) as f:
        settings = yaml.safe_load(f)["agent"]
    snmp_engine = engine.SnmpEngine()
    config.addTransport(
        snmp_engine,
        udp.domainName,
        udp.UdpTransport().openServerMode((settings["listen"], settings["port"])),
    )
    config.addV1System(snmp_engine, "agent-area", settings["community"])
    config.addVacmUser(snmp_engine, 2, "agent-area", "noAuthNoPriv", (1, 3, 6, 1, 4, 1, 53864))
    snmp_context = context.SnmpContext(snmp_engine)
    register_queue_table(snmp_context)
    cmdrsp.GetCommandResponder(snmp_engine, snmp_context)
    cmdrsp.NextCommandResponder(snmp_engine, snmp_context)
    return snmp_engine


def main() -> None:
    agent = build_agent(os.environ.get("AGENT_CONFIG", "agent.yaml"))
    agent.transportDispatcher.jobStarted(1)
    try:
        agent.transportDispatcher.runDispatcher()
    finally:
        agent.transportDispatcher.closeDispatcher()


if __name__ == "__main__":
    main()
