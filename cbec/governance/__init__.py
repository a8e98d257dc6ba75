"""Platform governance: the algorithm registry — what a platform (or a seller) that ranks,
recommends or targets people files with China's algorithm filing system (互联网信息服务算法
推荐管理规定 Art. 24) and publishes under the EU DSA Art. 27, versioned, with the refiling
deadline of every change counted in Chinese working days.

Pure core: the record's model (:mod:`.record`), its rule data (:mod:`.rules`), the working-day
calendar (:mod:`.workdays`) and the filing state, export and public part (:mod:`.filing`).
Storage, permissions and the ledger are the use cases' (:mod:`cbec.services.algorithms`).
"""
