"""The GS1 Core Business Vocabulary (CBV 2.0) terms cbec's tracking events use, and the map
from cbec's carrier milestones to them.

The lists are the standard vocabularies of CBV 2.0 §7 as EPCIS 2.0 JSON writes them, by
their bare names: business steps (§7.1, web URI ``https://ref.gs1.org/cbv/BizStep-<name>``),
dispositions (§7.2, ``…/Disp-<name>``) and business transaction types (§7.3, ``…/BTT-<name>``).
Sensor measurement types are the GS1 Web Vocabulary's ``gs1:MeasurementType`` values that
EPCIS 2.0 §7.3.7.4 names for ``sensorReport/type`` (``https://gs1.org/voc/<name>``). They
are a standard vocabulary, not dated rule data: a new CBV release is a code change.
``tests/logistics/test_epcis.py`` checks every list against the EPCIS 2.0 JSON Schema.

Note that ``completed`` is not a CBV 2.0 disposition: a parcel handed to its consignee is a
``receiving`` step, and CBV has no disposition that says "with the consignee".
"""

from __future__ import annotations

BIZ_STEP_URI = "https://ref.gs1.org/cbv/BizStep-"
DISPOSITION_URI = "https://ref.gs1.org/cbv/Disp-"
BTT_URI = "https://ref.gs1.org/cbv/BTT-"
GS1_VOC = "https://gs1.org/voc/"
# CBV 1.x URNs of the same terms, still accepted on input (CBV 2.0 §8.9 maps them to web URIs)
BIZ_STEP_URN = "urn:epcglobal:cbv:bizstep:"
DISPOSITION_URN = "urn:epcglobal:cbv:disp:"
BTT_URN = "urn:epcglobal:cbv:btt:"


def _words(text: str) -> list[str]:
    return text.split()


BIZ_STEPS: frozenset[str] = frozenset(
    _words(
        """accepting arriving assembling collecting commissioning consigning
    creating_class_instance cycle_counting decommissioning departing destroying disassembling
    dispensing encoding entering_exiting holding inspecting installing killing loading other
    packing picking receiving removing repackaging repairing replacing reserving retail_selling
    sampling sensor_reporting shipping staging_outbound stock_taking stocking storing
    transporting unloading unpacking void_shipping"""
    )
)

DISPOSITIONS: frozenset[str] = frozenset(
    _words(
        """active available completeness_inferred completeness_verified conformant
    container_closed container_open damaged destroyed dispensed disposed encoded expired
    in_progress in_transit inactive mismatch_class mismatch_instance mismatch_quantity
    needs_replacement no_pedigree_match non_conformant non_sellable_other partially_dispensed
    recalled reserved retail_sold returned sellable_accessible sellable_not_accessible stolen
    unavailable unknown"""
    )
)

BIZ_TRANSACTION_TYPES: frozenset[str] = frozenset(
    _words("bol cert desadv inv pedigree po poc prodorder recadv rma testprd testres upevt")
)

# gs1:MeasurementType. Shock is measured as gs1:Acceleration (UN/CEFACT Rec 20 MSK, m/s², or
# K40, standard acceleration of free fall g); speed as gs1:Speed (MTS, KMH).
MEASUREMENT_TYPES: frozenset[str] = frozenset(
    _words(
        """AbsoluteHumidity AbsorbedDose AbsorbedDoseRate Acceleration Altitude
    AmountOfSubstance AmountOfSubstancePerUnitVolume Angle AngularAcceleration AngularMomentum
    AngularVelocity Area Capacitance Conductance Conductivity Count Density Dimensionless
    DoseEquivalent DoseEquivalentRate DynamicViscosity ElectricCharge ElectricCurrent
    ElectricCurrentDensity ElectricFieldStrength Energy Exposure Force Frequency Illuminance
    Inductance Irradiance KinematicViscosity Length LinearMomentum Luminance LuminousFlux
    LuminousIntensity MagneticFlux MagneticFluxDensity MagneticVectorPotential Mass
    MassConcentration MassFlowRate MassPerAreaTime MemoryCapacity MolalityOfSolute MolarEnergy
    MolarMass MolarVolume Power Pressure Radioactivity RadiantFlux RadiantIntensity
    RelativeHumidity Resistance Resistivity SolidAngle SpecificVolume Speed SurfaceDensity
    SurfaceTension Temperature Time Torque Voltage Volume VolumeFlowRate VolumeFraction
    VolumetricFlux Wavenumber"""
    )
)

# cbec's carrier milestones (cbec.trade.waybill.EventStatus) as (bizStep, disposition).
# Each pair is distinct, so milestone_of can read a milestone back from the pair.
MILESTONE_CBV: dict[str, tuple[str, str | None]] = {
    # the shipper labels the parcel: its SSCC is commissioned and the object is in use
    "info_received": ("commissioning", "active"),
    # the carrier takes possession from the shipper (accepting: a change of possession)
    "picked_up": ("accepting", "in_transit"),
    # moved between hubs by a vehicle (transporting), still on its way
    "in_transit": ("transporting", "in_transit"),
    # the declaration is filed; customs reviews the documents (inspecting), not yet decided
    "customs_declared": ("inspecting", "in_progress"),
    # customs found the goods and papers conformant and released them
    "customs_released": ("inspecting", "conformant"),
    # held by customs (holding), not available until the hold is lifted
    "customs_held": ("holding", "unavailable"),
    # leaves the last-mile depot for the consignee (departing), in transit
    "out_for_delivery": ("departing", "in_transit"),
    # the consignee takes possession; CBV 2.0 has no disposition for "delivered"
    "delivered": ("receiving", None),
    # the courier arrived at the address, the hand-over failed: the parcel stays in transit
    "failed_attempt": ("arriving", "in_transit"),
    # something outside the process happened; the state of the goods is not known
    "exception": ("other", "unknown"),
    # the goods came back to the sender, who receives them as returned
    "returned": ("receiving", "returned"),
}


def milestone_of(biz_step: str | None, disposition: str | None) -> str | None:
    """The cbec milestone a bizStep/disposition pair stands for: the exact pair of
    :data:`MILESTONE_CBV` first, else the one milestone whose bizStep it is (best effort),
    else ``None``. Accepts bare names or CBV web URIs."""
    step, disp = _bare(biz_step, BIZ_STEP_URI), _bare(disposition, DISPOSITION_URI)
    for milestone, pair in MILESTONE_CBV.items():
        if pair == (step, disp):
            return milestone
    by_step = [m for m, (s, d) in MILESTONE_CBV.items() if s == step]
    if len(by_step) == 1:
        return by_step[0]
    if step == "receiving":  # the only bizStep of two milestones: returned is said outright
        return "delivered"
    return None


def _bare(term: str | None, web_prefix: str) -> str | None:
    if term is not None and term.startswith(web_prefix):
        return term[len(web_prefix) :]
    return term
