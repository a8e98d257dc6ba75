"""Brand co-creation and growth: a seller's polls on product decisions answered by its verified
buyers (:mod:`cbec.growth.polls`), and the return on ad spend per channel, read from the ad
platforms' reports and joined with the seller's orders (:mod:`cbec.growth.adspend`,
:mod:`cbec.growth.roas`). Pure cores: no web, no database."""
