from pysnmp.smi import builder, instrum


def register_queue_table(snmp_context) -> None:
    mib_builder = snmp_context.getMibInstrum().getMibBuilder()
    (MibScalar, MibScalarInstance) = mib_builder.importSymbols(
        "SNMPv2-SMI", "MibScalar", "MibScalarInstance"
    )
    mib_builder.exportSymbols(
        "__ACME-QUEUE-MIB",
        MibScalar((1, 3, 6, 1, 4, 1, 53864, 1, 1), instrum.Integer32()),
    )
