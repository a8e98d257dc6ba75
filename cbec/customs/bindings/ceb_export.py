from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(kw_only=True)
class ArrivalHead:
    """
    物流运抵单表头.

    :ivar guid: 系统唯一序号-企业系统生成36位唯一序号（英文字母大写）
    :ivar app_type: 报送类型-企业报送类型。1-新增 2-变更 3-删除。
    :ivar app_time: 报送时间-企业报送时间。格式:YYYYMMDDhhmmss。
    :ivar app_status: 报送状态-企业报送状态。1-暂存,2-申报。
    :ivar customs_code: 申报地海关代码-办理通关手续的4位海关编号
    :ivar cop_no: 企业内部标识单证的编号
    :ivar pre_no: 预录入编号-电子口岸标识单证的编号
    :ivar operator_code: 监管场所经营人代码-监管场所经营人在海关注册登记的编号。邮路运输用邮政物流企业
    :ivar operator_name: 监管场所经营人名称-监管场所经营人在海关注册登记的名称。邮路运输用邮政物流企业
    :ivar loct_no: 监管场所代码-同一申报地海关下有多个跨境电子商务的监管场所,需要填写区分
    :ivar ie_flag: 进出口标记-I进口/E出口
    :ivar traf_mode: 运输方式-填写海关标准的参数代码，参照《JGS-20 海关业务代码集》-
        运输方式代码。直购进口指跨境段物流运输方式。
    :ivar bill_no: 提运单号-货物提单或运单的海运提单、空运总单或汽车载货清单。邮路运输方可为空。
    :ivar domestic_traf_no: 境内运输工具编号-运往海关监管场所的运输工具编号，例如车牌号
    :ivar logistics_code: 物流企业代码-物流企业的海关注册登记编号
    :ivar logistics_name: 物流企业名称-物流企业的海关注册登记名称
    :ivar msg_count: 报文总数-拆分后的报文总数。未拆分的不填，拆分的填实际数量。
    :ivar msg_seq_no: 报文序号-当前报文序号，以1开始的报文顺序号。未拆分的不填，拆分的报文需要连续编号，不得跳号。
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    app_type: str = field(
        metadata={
            "name": "appType",
            "type": "Element",
            "length": 1,
        }
    )
    app_time: str = field(
        metadata={
            "name": "appTime",
            "type": "Element",
            "length": 14,
        }
    )
    app_status: str = field(
        default="1",
        metadata={
            "name": "appStatus",
            "type": "Element",
            "length": 1,
        },
    )
    customs_code: str = field(
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        }
    )
    cop_no: str = field(
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    pre_no: None | str = field(
        default=None,
        metadata={
            "name": "preNo",
            "type": "Element",
            "length": 18,
        },
    )
    operator_code: str = field(
        metadata={
            "name": "operatorCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    operator_name: str = field(
        metadata={
            "name": "operatorName",
            "type": "Element",
            "max_length": 100,
        }
    )
    loct_no: None | str = field(
        default=None,
        metadata={
            "name": "loctNo",
            "type": "Element",
            "max_length": 10,
        },
    )
    ie_flag: str = field(
        metadata={
            "name": "ieFlag",
            "type": "Element",
            "length": 1,
        }
    )
    traf_mode: str = field(
        metadata={
            "name": "trafMode",
            "type": "Element",
            "length": 1,
            "white_space": "collapse",
        }
    )
    bill_no: None | str = field(
        default=None,
        metadata={
            "name": "billNo",
            "type": "Element",
            "max_length": 37,
        },
    )
    domestic_traf_no: str = field(
        metadata={
            "name": "domesticTrafNo",
            "type": "Element",
            "max_length": 100,
            "white_space": "collapse",
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    logistics_name: str = field(
        metadata={
            "name": "logisticsName",
            "type": "Element",
            "max_length": 100,
        }
    )
    msg_count: int = field(
        metadata={
            "name": "msgCount",
            "type": "Element",
            "total_digits": 9,
        }
    )
    msg_seq_no: int = field(
        metadata={
            "name": "msgSeqNo",
            "type": "Element",
            "total_digits": 9,
        }
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class ArrivalList:
    """
    物流运抵单表体（允许为空）.

    :ivar gnum: 序号-从1开始的递增序号
    :ivar logistics_no: 物流运单编号-物流企业的运单包裹面单号
    :ivar total_package_no: 总包号-物流企业对于一个提运单下含有多个大包的托盘编号（邮件为邮袋号）
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    gnum: int = field(
        metadata={
            "type": "Element",
            "total_digits": 5,
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "max_length": 32,
        }
    )
    total_package_no: None | str = field(
        default=None,
        metadata={
            "name": "totalPackageNo",
            "type": "Element",
            "max_length": 37,
        },
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class ArrivalReturn:
    """
    物流运抵单回执实体.

    :ivar guid: 系统唯一序号-电子口岸生成36位唯一序号（英文字母大写）
    :ivar operator_code: 监管场所经营人代码-监管场所经营人在海关注册登记的编号
    :ivar logistics_code: 物流企业代码-物流企业的海关注册登记编号
    :ivar pre_no: 预录入编号-电子口岸标识单证的编号
    :ivar cop_no: 企业唯一编号-企业唯一标识单证的编号
    :ivar bill_no: 提运单号-提单或总运单的编号
    :ivar msg_seq_no: 报文序号-当前报文序号，以1开始的报文顺序号。未拆分的不填，拆分的报文需要连续编号，不得跳号。
    :ivar return_status: 回执状态-
        操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/399海关审结等）,若小于0数字表示处理异常回执
    :ivar return_time: 回执时间-操作时间(格式:yyyyMMddHHmmssfff)
    :ivar return_info: 回执信息（如:退单原因）
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    operator_code: str = field(
        metadata={
            "name": "operatorCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    pre_no: str = field(
        metadata={
            "name": "preNo",
            "type": "Element",
            "length": 18,
        }
    )
    cop_no: str = field(
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    bill_no: str = field(
        metadata={
            "name": "billNo",
            "type": "Element",
            "max_length": 37,
        }
    )
    msg_seq_no: int = field(
        metadata={
            "name": "msgSeqNo",
            "type": "Element",
            "total_digits": 9,
        }
    )
    return_status: str = field(
        metadata={
            "name": "returnStatus",
            "type": "Element",
            "min_length": 1,
            "max_length": 10,
        }
    )
    return_time: str = field(
        metadata={
            "name": "returnTime",
            "type": "Element",
            "length": 17,
        }
    )
    return_info: str = field(
        metadata={
            "name": "returnInfo",
            "type": "Element",
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class BaseSubscribe:
    """
    基础回执订阅实体（用于第三方提供数据的订阅下发）.

    :ivar status: 用户订阅单证业务状态的信息, ALL-订阅数据和回执,  DATA-只订阅数据,RET- 只订阅回执
    :ivar dxp_mode: 默认为DXP；指中国电子口岸数据交换平台
    :ivar dxp_address: 向中国电子口岸数据中心申请数据交换平台的用户编号
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    status: str = field(
        metadata={
            "type": "Element",
            "max_length": 100,
        }
    )
    dxp_mode: str = field(
        metadata={
            "name": "dxpMode",
            "type": "Element",
            "length": 3,
        }
    )
    dxp_address: str = field(
        metadata={
            "name": "dxpAddress",
            "type": "Element",
            "max_length": 100,
        }
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class BaseTransfer:
    """
    基础报文传输实体（需要与实际客户端传输企业一致）.

    :ivar cop_code: 报文传输的企业代码（需要与接入客户端的企业身份一致）
    :ivar cop_name: 报文传输的企业名称
    :ivar dxp_mode: 默认为DXP；指中国电子口岸数据交换平台
    :ivar dxp_id: 向中国电子口岸数据中心申请数据交换平台的用户编号
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    cop_code: str = field(
        metadata={
            "name": "copCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    cop_name: str = field(
        metadata={
            "name": "copName",
            "type": "Element",
            "max_length": 100,
        }
    )
    dxp_mode: str = field(
        metadata={
            "name": "dxpMode",
            "type": "Element",
            "length": 3,
        }
    )
    dxp_id: str = field(
        metadata={
            "name": "dxpId",
            "type": "Element",
            "max_length": 30,
        }
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class DepartureHead:
    """
    物流离境单表头数据.

    :ivar guid: 36位系统唯一序号（英文字母大写）
    :ivar app_type: 申报类型:1-新增;2-变更;3-删除，默认为1
    :ivar app_time: 业务时间,格式:YYYYMMDDhhmmss
    :ivar app_status: 企业报送状态-企业报送状态。1-暂存,2-申报。
    :ivar customs_code: 办理通关手续的4位海关编号
    :ivar cop_no: 企业唯一编号
    :ivar pre_no: 预录入编号-电子口岸标识单证的编号
    :ivar logistics_code: 物流企业代码,10位海关代码或者18位信用代码
    :ivar logistics_name: 物流企业名称
    :ivar traf_mode: 运输方式
    :ivar traf_name: 运输工具名称
    :ivar voyage_no: 航班航次号
    :ivar bill_no: 提运单号,物流企业提供
    :ivar leave_time: 离境时间
    :ivar msg_count: 报文总数-拆分后的报文总数。未拆分的不填，拆分的填实际数量。
    :ivar msg_seq_no: 报文序号-当前报文序号，以1开始的报文顺序号。未拆分的不填，拆分的报文需要连续编号，不得跳号。
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    app_type: str = field(
        metadata={
            "name": "appType",
            "type": "Element",
            "length": 1,
        }
    )
    app_time: str = field(
        metadata={
            "name": "appTime",
            "type": "Element",
            "length": 14,
        }
    )
    app_status: str = field(
        metadata={
            "name": "appStatus",
            "type": "Element",
            "length": 1,
        }
    )
    customs_code: str = field(
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        }
    )
    cop_no: str = field(
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    pre_no: None | str = field(
        default=None,
        metadata={
            "name": "preNo",
            "type": "Element",
            "length": 18,
        },
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    logistics_name: str = field(
        metadata={
            "name": "logisticsName",
            "type": "Element",
            "max_length": 100,
        }
    )
    traf_mode: str = field(
        metadata={
            "name": "trafMode",
            "type": "Element",
            "length": 1,
            "white_space": "collapse",
        }
    )
    traf_name: None | str = field(
        default=None,
        metadata={
            "name": "trafName",
            "type": "Element",
            "max_length": 100,
        },
    )
    voyage_no: None | str = field(
        default=None,
        metadata={
            "name": "voyageNo",
            "type": "Element",
            "max_length": 32,
        },
    )
    bill_no: None | str = field(
        default=None,
        metadata={
            "name": "billNo",
            "type": "Element",
            "max_length": 37,
        },
    )
    leave_time: str = field(
        metadata={
            "name": "leaveTime",
            "type": "Element",
            "length": 14,
        }
    )
    msg_count: int = field(
        metadata={
            "name": "msgCount",
            "type": "Element",
            "total_digits": 9,
        }
    )
    msg_seq_no: int = field(
        metadata={
            "name": "msgSeqNo",
            "type": "Element",
            "total_digits": 9,
        }
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class DepartureList:
    """
    物流离境单表体类.

    :ivar gnum: 序号
    :ivar total_package_no: 总包号
    :ivar logistics_no: 物流运单号
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    gnum: int = field(
        metadata={
            "type": "Element",
            "total_digits": 5,
        }
    )
    total_package_no: None | str = field(
        default=None,
        metadata={
            "name": "totalPackageNo",
            "type": "Element",
            "max_length": 37,
        },
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "max_length": 32,
        }
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class DepartureReturn:
    """
    物流离境回执类.

    :ivar guid: 36位系统唯一序号（英文字母大写）
    :ivar logistics_code: 物流企业代码,10位海关代码或者18位信用代码
    :ivar cop_no: 企业唯一编号
    :ivar pre_no: 预录入编号-电子口岸标识单证的编号
    :ivar msg_seq_no: 报文序号-当前报文序号，以1开始的报文顺序号。未拆分的不填，拆分的报文需要连续编号，不得跳号。
    :ivar return_status: 回执状态
    :ivar return_time: 回执时间,格式YYYYMMDDhhmmssfff
    :ivar return_info: 回执信息（如:退单原因）
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    cop_no: str = field(
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    pre_no: str = field(
        metadata={
            "name": "preNo",
            "type": "Element",
            "length": 18,
        }
    )
    msg_seq_no: int = field(
        metadata={
            "name": "msgSeqNo",
            "type": "Element",
            "total_digits": 9,
        }
    )
    return_status: str = field(
        metadata={
            "name": "returnStatus",
            "type": "Element",
            "min_length": 1,
            "max_length": 10,
        }
    )
    return_time: str = field(
        metadata={
            "name": "returnTime",
            "type": "Element",
            "length": 17,
        }
    )
    return_info: str = field(
        metadata={
            "name": "returnInfo",
            "type": "Element",
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class InventoryHead:
    """
    出口清单表头类.

    :ivar guid: 36位系统唯一序号（英文字母大写）
    :ivar app_type: 申报类型:1-新增;2-变更;3-删除，默认为1
    :ivar app_time: 业务时间,格式:YYYYMMDDhhmmss
    :ivar app_status: 企业报送状态。1-暂存,2-申报。
    :ivar customs_code: 申报海关代码,办理通关手续的4位海关编号
    :ivar ebp_code: 电商平台的海关登记编号
    :ivar ebp_name: 电商平台名称
    :ivar order_no: 订单编号,电商平台原始订单编号
    :ivar logistics_code: 物流企业代码,10位海关代码或者18位信用代码
    :ivar logistics_name: 物流企业名称
    :ivar logistics_no: 物流运单编号
    :ivar cop_no: 企业唯一编号
    :ivar pre_no: 预录入编号-电子口岸标识单证的编号
    :ivar invt_no: 清单编号
    :ivar ie_flag: 进出口标志,I/E标志
    :ivar port_code: 出口口岸海关代码,海关参数代码
    :ivar ie_date: 出口日期 YYYYMMDD
    :ivar statistics_flag:
        申报业务类型：A-简化申报;B-汇总申报；若采用A简化申报，则要求商品不涉许可证、不涉出口关税、不涉及出口退税。同时商品编码按税则表前4位填写
    :ivar agent_code: 报关企业代码 10位海关代码或者18位信用代码
    :ivar agent_name: 报关企业名称
    :ivar ebc_code: 收发货人代码。 10位海关代码或者18位信用代码
    :ivar ebc_name: 收发货人名称。 电商企业的海关注册登记名称。
    :ivar owner_code: 生产销售单位代码。 实际发货人的企业的10位海关代码或者18位信用代码
    :ivar owner_name: 生产销售单位名称。 实际发货人的企业名称。
    :ivar iac_code: 区内企业代码 特殊区域模式必填
    :ivar iac_name: 特殊区域内仓储企业代码，特殊区域出口模式必填
    :ivar ems_no: 账册编号
    :ivar trade_mode: 贸易方式 一般出口为9610,特殊区域出口为1210/1239
    :ivar traf_mode: 运输方式代码 海关参数代码
    :ivar traf_name: 运输工具名称。
    :ivar voyage_no: 航班航次号,物流企业提供
    :ivar bill_no: 提运单号,物流企业提供
    :ivar total_package_no: 总包号。 物流企业对于一个提运单下含有多个大包的托盘编号（邮件为邮袋号）。
    :ivar loct_no: 监管场所代码
    :ivar license_no: 许可证号
    :ivar country: 运抵国（地区）,海关参数代码
    :ivar pod: 指运港代码 海关参数代码
    :ivar freight: 运费
    :ivar f_currency: 运费币制 海关参数代码
    :ivar f_flag: 运费标志 海关参数代码 3-总价
    :ivar insured_fee: 保费
    :ivar i_currency: 保费币制 海关参数代码
    :ivar i_flag: 保费标志 海关参数代码 3-总价
    :ivar wrap_type: 包装种类代码
    :ivar pack_no: 件数(包裹数)
    :ivar gross_weight: 毛重（千克）
    :ivar net_weight: 净重（千克）
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    app_type: str = field(
        metadata={
            "name": "appType",
            "type": "Element",
            "length": 1,
        }
    )
    app_time: str = field(
        metadata={
            "name": "appTime",
            "type": "Element",
            "length": 14,
        }
    )
    app_status: str = field(
        metadata={
            "name": "appStatus",
            "type": "Element",
            "length": 1,
        }
    )
    customs_code: str = field(
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        }
    )
    ebp_code: str = field(
        metadata={
            "name": "ebpCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    ebp_name: str = field(
        metadata={
            "name": "ebpName",
            "type": "Element",
            "min_length": 0,
            "max_length": 100,
        }
    )
    order_no: str = field(
        metadata={
            "name": "orderNo",
            "type": "Element",
            "max_length": 60,
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    logistics_name: str = field(
        metadata={
            "name": "logisticsName",
            "type": "Element",
            "min_length": 0,
            "max_length": 100,
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "max_length": 32,
        }
    )
    cop_no: str = field(
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    pre_no: None | str = field(
        default=None,
        metadata={
            "name": "preNo",
            "type": "Element",
            "length": 18,
        },
    )
    invt_no: None | str = field(
        default=None,
        metadata={
            "name": "invtNo",
            "type": "Element",
            "max_length": 20,
        },
    )
    ie_flag: str = field(
        metadata={
            "name": "ieFlag",
            "type": "Element",
            "length": 1,
        }
    )
    port_code: str = field(
        metadata={
            "name": "portCode",
            "type": "Element",
            "length": 4,
        }
    )
    ie_date: str = field(
        metadata={
            "name": "ieDate",
            "type": "Element",
            "length": 8,
        }
    )
    statistics_flag: str = field(
        metadata={
            "name": "statisticsFlag",
            "type": "Element",
            "length": 1,
        }
    )
    agent_code: str = field(
        metadata={
            "name": "agentCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    agent_name: str = field(
        metadata={
            "name": "agentName",
            "type": "Element",
            "min_length": 0,
            "max_length": 100,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "min_length": 0,
            "max_length": 18,
        }
    )
    ebc_name: str = field(
        metadata={
            "name": "ebcName",
            "type": "Element",
            "min_length": 0,
            "max_length": 100,
        }
    )
    owner_code: str = field(
        metadata={
            "name": "ownerCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    owner_name: str = field(
        metadata={
            "name": "ownerName",
            "type": "Element",
            "max_length": 100,
        }
    )
    iac_code: None | str = field(
        default=None,
        metadata={
            "name": "iacCode",
            "type": "Element",
            "max_length": 18,
        },
    )
    iac_name: None | str = field(
        default=None,
        metadata={
            "name": "iacName",
            "type": "Element",
            "max_length": 100,
        },
    )
    ems_no: None | str = field(
        default=None,
        metadata={
            "name": "emsNo",
            "type": "Element",
            "max_length": 30,
        },
    )
    trade_mode: str = field(
        metadata={
            "name": "tradeMode",
            "type": "Element",
            "length": 4,
        }
    )
    traf_mode: str = field(
        metadata={
            "name": "trafMode",
            "type": "Element",
            "length": 1,
            "white_space": "collapse",
        }
    )
    traf_name: None | str = field(
        default=None,
        metadata={
            "name": "trafName",
            "type": "Element",
            "max_length": 100,
        },
    )
    voyage_no: None | str = field(
        default=None,
        metadata={
            "name": "voyageNo",
            "type": "Element",
            "max_length": 32,
        },
    )
    bill_no: None | str = field(
        default=None,
        metadata={
            "name": "billNo",
            "type": "Element",
            "max_length": 37,
        },
    )
    total_package_no: None | str = field(
        default=None,
        metadata={
            "name": "totalPackageNo",
            "type": "Element",
            "max_length": 37,
        },
    )
    loct_no: None | str = field(
        default=None,
        metadata={
            "name": "loctNo",
            "type": "Element",
            "max_length": 10,
        },
    )
    license_no: None | str = field(
        default=None,
        metadata={
            "name": "licenseNo",
            "type": "Element",
            "max_length": 19,
        },
    )
    country: str = field(
        metadata={
            "type": "Element",
            "length": 3,
        }
    )
    pod: str = field(
        metadata={
            "name": "POD",
            "type": "Element",
            "min_length": 3,
            "max_length": 4,
            "white_space": "collapse",
        }
    )
    freight: Decimal = field(
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    f_currency: str = field(
        metadata={
            "name": "fCurrency",
            "type": "Element",
            "length": 3,
        }
    )
    f_flag: str = field(
        init=False,
        default="3",
        metadata={
            "name": "fFlag",
            "type": "Element",
            "length": 1,
        },
    )
    insured_fee: Decimal = field(
        metadata={
            "name": "insuredFee",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    i_currency: str = field(
        metadata={
            "name": "iCurrency",
            "type": "Element",
            "length": 3,
        }
    )
    i_flag: str = field(
        init=False,
        default="3",
        metadata={
            "name": "iFlag",
            "type": "Element",
            "length": 1,
        },
    )
    wrap_type: str = field(
        metadata={
            "name": "wrapType",
            "type": "Element",
            "length": 1,
            "white_space": "collapse",
        }
    )
    pack_no: int = field(
        metadata={
            "name": "packNo",
            "type": "Element",
            "total_digits": 9,
        }
    )
    gross_weight: Decimal = field(
        metadata={
            "name": "grossWeight",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    net_weight: Decimal = field(
        metadata={
            "name": "netWeight",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class InventoryList:
    """
    出口清单表体项类.

    :ivar gnum: 商品项号,从1开始连续序号
    :ivar item_no: 企业商品编号
    :ivar item_record_no: 保税出口模式必填
    :ivar item_name: 企业自定义的商品名称，汇总后用于退税品名
    :ivar gcode: 海关商品编码（10位）
    :ivar gname: 商品名称
    :ivar gmodel: 规格型号
    :ivar bar_code: 条形码
    :ivar country: 最终目的国（地区）代码
    :ivar currency: 币制代码
    :ivar qty: 申报数量
    :ivar qty1: 法定数量
    :ivar qty2: 第二数量
    :ivar unit: 申报计量单位,海关参数代码
    :ivar unit1: 法定计量单位,海关参数代码
    :ivar unit2: 第二计量单位,海关参数代码
    :ivar price: 单价
    :ivar total_price: 总价
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    gnum: int = field(
        metadata={
            "type": "Element",
            "total_digits": 5,
        }
    )
    item_no: str = field(
        metadata={
            "name": "itemNo",
            "type": "Element",
            "max_length": 20,
        }
    )
    item_record_no: None | str = field(
        default=None,
        metadata={
            "name": "itemRecordNo",
            "type": "Element",
            "max_length": 30,
        },
    )
    item_name: None | str = field(
        default=None,
        metadata={
            "name": "itemName",
            "type": "Element",
            "max_length": 250,
        },
    )
    gcode: str = field(
        metadata={
            "type": "Element",
            "length": 10,
        }
    )
    gname: str = field(
        metadata={
            "type": "Element",
            "max_length": 250,
        }
    )
    gmodel: str = field(
        metadata={
            "type": "Element",
            "max_length": 250,
            "white_space": "collapse",
        }
    )
    bar_code: str = field(
        metadata={
            "name": "barCode",
            "type": "Element",
            "max_length": 50,
            "white_space": "collapse",
        }
    )
    country: str = field(
        metadata={
            "type": "Element",
            "length": 3,
        }
    )
    currency: str = field(
        metadata={
            "type": "Element",
            "length": 3,
        }
    )
    qty: Decimal = field(
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    qty1: Decimal = field(
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    qty2: None | Decimal = field(
        default=None,
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        },
    )
    unit: str = field(
        metadata={
            "type": "Element",
            "length": 3,
        }
    )
    unit1: str = field(
        metadata={
            "type": "Element",
            "length": 3,
        }
    )
    unit2: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 3,
        },
    )
    price: Decimal = field(
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    total_price: Decimal = field(
        metadata={
            "name": "totalPrice",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class InventoryReturn:
    """
    出口清单回执类.

    :ivar guid: 36位系统唯一序号（英文字母大写）
    :ivar agent_code: 申报企业代码
    :ivar cop_no: 企业内部生成标识清单的编号
    :ivar pre_no: 预录入编号-电子口岸标识单证的编号
    :ivar invt_no: 出境清单编号,海关审结生成标识清单的编号（4位关区+4位年+1位进出口标记+9位流水号）
    :ivar ebc_code: 收发货人代码-电商（发货）企业的海关注册登记编号(10位海关编码或18位统一社会信用代码)
    :ivar ebp_code: 电商平台代码-电商平台的海关登记编号
    :ivar order_no: 订单编号-交易平台的订单编号，同一交易平台的订单编号应唯一。订单编号长度不能超过60位。
    :ivar statistics_flag: 申报业务类型-A-
        简化申报;B-汇总申报；若采用A简化申报，则要求商品不涉许可证、不涉出口关税、不涉及出口退税。同时商品编码前4位为税则表填写
    :ivar return_status:
        操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/120海关入库/300人工审核/399海关审结/800放行/899结关等,若小于0数字表示处理异常回执
    :ivar return_time: 回执时间,格式YYYYMMDDhhmmssfff
    :ivar return_info: 回执信息（如:退单原因）
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    agent_code: str = field(
        metadata={
            "name": "agentCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    cop_no: str = field(
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    pre_no: str = field(
        metadata={
            "name": "preNo",
            "type": "Element",
            "length": 18,
        }
    )
    invt_no: str = field(
        metadata={
            "name": "invtNo",
            "type": "Element",
            "max_length": 20,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    ebp_code: str = field(
        metadata={
            "name": "ebpCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    order_no: str = field(
        metadata={
            "name": "orderNo",
            "type": "Element",
            "max_length": 60,
        }
    )
    statistics_flag: str = field(
        metadata={
            "name": "statisticsFlag",
            "type": "Element",
            "length": 1,
        }
    )
    return_status: str = field(
        metadata={
            "name": "returnStatus",
            "type": "Element",
            "min_length": 1,
            "max_length": 10,
        }
    )
    return_time: str = field(
        metadata={
            "name": "returnTime",
            "type": "Element",
            "length": 17,
        }
    )
    return_info: str = field(
        metadata={
            "name": "returnInfo",
            "type": "Element",
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class InvtCancel:
    """
    撤销申请单类.

    :ivar guid: 36位系统唯一序号（英文字母大写）
    :ivar app_type: 申报类型:1-新增;2-变更;3-删除，默认为1
    :ivar app_time: 业务时间,格式:YYYYMMDDhhmmss
    :ivar app_status: 企业报送状态。1-暂存,2-申报。
    :ivar customs_code: 申报海关代码
    :ivar cop_no: 企业内部生成标识清单的编号
    :ivar pre_no: 预录入编号-电子口岸标识单证的编号
    :ivar invt_no: 出境清单编号，海关审结生成标识清单的编号（4位关区+4位年+1位进出口标记+9位流水号）
    :ivar reason: 原因
    :ivar agent_code: 申报单位代码,10位海关代码或者18位信用代码
    :ivar agent_name: 申报单位名称
    :ivar ebc_code: 收发货人代码。 电商企业的10位海关代码或者18位信用代码。
    :ivar ebc_name: 收发货人名称。 电商企业的海关注册登记名称。
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    app_type: str = field(
        metadata={
            "name": "appType",
            "type": "Element",
            "length": 1,
        }
    )
    app_time: str = field(
        metadata={
            "name": "appTime",
            "type": "Element",
            "length": 14,
        }
    )
    app_status: str = field(
        metadata={
            "name": "appStatus",
            "type": "Element",
            "length": 1,
        }
    )
    customs_code: str = field(
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        }
    )
    cop_no: str = field(
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    pre_no: None | str = field(
        default=None,
        metadata={
            "name": "preNo",
            "type": "Element",
            "length": 18,
        },
    )
    invt_no: str = field(
        metadata={
            "name": "invtNo",
            "type": "Element",
            "max_length": 20,
        }
    )
    reason: str = field(
        metadata={
            "type": "Element",
            "max_length": 1000,
            "white_space": "collapse",
        }
    )
    agent_code: str = field(
        metadata={
            "name": "agentCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    agent_name: str = field(
        metadata={
            "name": "agentName",
            "type": "Element",
            "max_length": 100,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    ebc_name: str = field(
        metadata={
            "name": "ebcName",
            "type": "Element",
            "max_length": 100,
        }
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class InvtCancelReturn:
    """
    撤销申请单回执类.

    :ivar guid: 36位系统唯一序号（英文字母大写）
    :ivar agent_code: 申报企业代码
    :ivar cop_no: 企业内部生成标识清单的编号
    :ivar pre_no: 预录入编号-电子口岸标识单证的编号
    :ivar invt_no: 出境清单编号,海关审结生成标识清单的编号（4位关区+4位年+1位进出口标记+9位流水号）
    :ivar return_status:
        操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/399海关审结等）,若小于0数字表示处理异常回执
    :ivar return_time: 回执时间,格式YYYYMMDDhhmmssfff
    :ivar return_info: 回执信息（如:退单原因）
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    agent_code: str = field(
        metadata={
            "name": "agentCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    cop_no: str = field(
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    pre_no: str = field(
        metadata={
            "name": "preNo",
            "type": "Element",
            "length": 18,
        }
    )
    invt_no: str = field(
        metadata={
            "name": "invtNo",
            "type": "Element",
            "max_length": 20,
        }
    )
    return_status: str = field(
        metadata={
            "name": "returnStatus",
            "type": "Element",
            "min_length": 1,
            "max_length": 10,
        }
    )
    return_time: str = field(
        metadata={
            "name": "returnTime",
            "type": "Element",
            "length": 17,
        }
    )
    return_info: str = field(
        metadata={
            "name": "returnInfo",
            "type": "Element",
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class InvtRefundDetail:
    """
    理货明细单实体.

    :ivar guid: 系统唯一序号-企业系统生成36位唯一序号（英文字母大写）
    :ivar app_type: 报送类型-企业报送类型。1-新增 2-变更 3-删除。
    :ivar app_time: 报送时间-企业报送时间。格式:YYYYMMDDhhmmss。
    :ivar app_status: 报送状态-企业报送状态。1-暂存,2-申报。
    :ivar customs_code: 申报地海关代码-4位海关编号。《海关关区代码》
    :ivar operator_code: 监管场所经营人在海关注册登记的编号，邮政运输用邮政物流企业
    :ivar operator_name: 物流企业的海关注册登记编号或统一社会信用代码，可以与原物流企业一致，也可以是进境物流企业。
    :ivar logistics_code: 监管场所经营人在海关注册登记的名称，邮政运输用邮政物流企业
    :ivar logistics_name: 物流企业的登记名称
    :ivar logistics_no: 物流企业运单的包裹面单号，可以与原出口原单号一致，也可以是进境运单号。
    :ivar invt_no: 原出口清单号
    :ivar co_el_no: 企业内部标识单证的编号
    :ivar pre_no: 电子口岸标识单证的编号
    :ivar bill_no: 提单或总运单的编号，如无则填物流运单号。
    :ivar ie_flag: I-进口,E-出口，出口退货填I
    :ivar traf_mode: 海关标准的参数代码 《JGS-20 海关业务代码集》- 运输方式代码
    :ivar traf_name: 货物进出境的运输工具的名称或运输工具编号。填报内容应与运输部门向海关申报的载货清单所列相应内容一致。
    :ivar voyage_no: 货物进出境的运输工具的航次编号。
    :ivar location: 卸货堆货的仓储位置
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    app_type: str = field(
        metadata={
            "name": "appType",
            "type": "Element",
            "length": 1,
        }
    )
    app_time: str = field(
        metadata={
            "name": "appTime",
            "type": "Element",
            "length": 14,
        }
    )
    app_status: str = field(
        metadata={
            "name": "appStatus",
            "type": "Element",
            "length": 1,
        }
    )
    customs_code: str = field(
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        }
    )
    operator_code: str = field(
        metadata={
            "name": "operatorCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    operator_name: str = field(
        metadata={
            "name": "operatorName",
            "type": "Element",
            "max_length": 100,
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    logistics_name: str = field(
        metadata={
            "name": "logisticsName",
            "type": "Element",
            "max_length": 100,
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "max_length": 80,
        }
    )
    invt_no: None | str = field(
        default=None,
        metadata={
            "name": "invtNo",
            "type": "Element",
            "max_length": 20,
        },
    )
    co_el_no: str = field(
        metadata={
            "name": "coElNo",
            "type": "Element",
            "max_length": 20,
        }
    )
    pre_no: None | str = field(
        default=None,
        metadata={
            "name": "preNo",
            "type": "Element",
            "max_length": 18,
        },
    )
    bill_no: str = field(
        metadata={
            "name": "billNo",
            "type": "Element",
            "max_length": 37,
        }
    )
    ie_flag: str = field(
        metadata={
            "name": "ieFlag",
            "type": "Element",
            "length": 1,
        }
    )
    traf_mode: str = field(
        metadata={
            "name": "trafMode",
            "type": "Element",
            "length": 1,
        }
    )
    traf_name: str = field(
        metadata={
            "name": "trafName",
            "type": "Element",
            "max_length": 100,
        }
    )
    voyage_no: str = field(
        metadata={
            "name": "voyageNo",
            "type": "Element",
            "max_length": 32,
        }
    )
    location: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 250,
        },
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 250,
        },
    )


@dataclass(kw_only=True)
class InvtRefundDetailReturn:
    """
    理货明细单回执实体.

    :ivar guid: 系统唯一序号-企业系统生成36位唯一序号（英文字母大写）
    :ivar operator_code: 监管场所经营人在海关注册登记的编号，邮政运输用邮政物流企业
    :ivar logistics_code: 监管场所经营人在海关注册登记的名称，邮政运输用邮政物流企业
    :ivar logistics_no: 物流企业运单的包裹面单号，可以与原出口原单号一致，也可以是进境运单号。
    :ivar co_el_no: 企业内部标识单证的编号
    :ivar pre_no: 电子口岸标识单证的编号
    :ivar return_status:
        操作结果（1暂存/2申报中/3发送海关成功/4发送海关失败/100海关退单/399海关审结）,若小于0数字表示处理异常回执
    :ivar return_time: 操作时间(格式:YYYYMMDDhhmmssSSS)。
    :ivar return_info: 回执信息
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    operator_code: str = field(
        metadata={
            "name": "operatorCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "max_length": 80,
        }
    )
    co_el_no: str = field(
        metadata={
            "name": "coElNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    pre_no: None | str = field(
        default=None,
        metadata={
            "name": "preNo",
            "type": "Element",
            "max_length": 18,
        },
    )
    return_status: str = field(
        metadata={
            "name": "returnStatus",
            "type": "Element",
            "max_length": 10,
        }
    )
    return_time: str = field(
        metadata={
            "name": "returnTime",
            "type": "Element",
            "length": 17,
        }
    )
    return_info: str = field(
        metadata={
            "name": "returnInfo",
            "type": "Element",
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class InvtRefundHead:
    """
    退货申请单表头.

    :ivar guid: 系统唯一序号-企业系统生成36位唯一序号（英文字母大写）
    :ivar app_type: 报送类型-企业报送类型。1-新增 2-变更 3-删除。
    :ivar app_time: 报送时间-企业报送时间。格式:YYYYMMDDhhmmss。
    :ivar app_status: 报送状态-企业报送状态。1-暂存,2-申报。
    :ivar customs_code: 4位海关编号。《海关关区代码》
    :ivar loct_no: 同一申报地海关下有多个跨境电子商务的监管场所,需要填写区分。
    :ivar ebp_code: 电商平台代码-电商平台的海关注册登记编号
    :ivar ebp_name: 电商平台名称-电商平台的海关注册登记名称
    :ivar ebc_code: 电商企业代码-电商企业的海关注册登记编号(10位海关编码或18位统一社会信用代码)
    :ivar ebc_name: 电商企业名称-电商企业的海关注册登记名称，对应清单的收发货人
    :ivar logistics_no:
        物流企业运单的包裹面单号，同一物流企业的运单编号在6个月内不重复，可以与原出口运单号一致，也可以是进境运单号
    :ivar logistics_code: 物流企业的海关注册登记编号或统一社会信用代码，可以与原物流企业一致，也可以是进境物流企业。
    :ivar logistics_name: 物流企业的登记名称
    :ivar co_el_no: 企业生成标识唯一编号
    :ivar pre_no: 电子口岸标识唯一编号（B+8位年月日+9位流水号）
    :ivar invt_no: 原出口清单号
    :ivar trade_mode: 贸易方式 一般出口为9610,特殊区域出口为1210/1239
    :ivar agent_code: 申报单位的海关登记编号，可以与原申报企业一致，也可以是进境申报企业。
    :ivar agent_name: 申报单位的海关登记名称
    :ivar bill_no: 提单或总运单的编号，如无则填写物流运单号
    :ivar ie_flag: I-进口,E-出口,出口退货填写I。
    :ivar traf_mode: 海关标准的参数代码 《JGS-20 海关业务代码集》- 运输方式代码
    :ivar traf_name: 货物进出境的运输工具的名称或运输工具编号。填报内容应与运输部门向海关申报的载货清单所列相应内容一致。
    :ivar port_code: 商品实际出我国关境口岸海关的关区代码 JGS/T 18《海关关区代码》
    :ivar reason: 退货原因
    :ivar country: 参照《JGS-20 海关业务代码集》的国家（地区）代码表，不能为中国
    :ivar voyage_no: 货物进出境的运输工具的航次编号。
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    app_type: str = field(
        metadata={
            "name": "appType",
            "type": "Element",
            "length": 1,
        }
    )
    app_time: str = field(
        metadata={
            "name": "appTime",
            "type": "Element",
            "length": 14,
        }
    )
    app_status: str = field(
        metadata={
            "name": "appStatus",
            "type": "Element",
            "length": 1,
        }
    )
    customs_code: str = field(
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        }
    )
    loct_no: None | str = field(
        default=None,
        metadata={
            "name": "loctNo",
            "type": "Element",
            "max_length": 10,
        },
    )
    ebp_code: str = field(
        metadata={
            "name": "ebpCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    ebp_name: str = field(
        metadata={
            "name": "ebpName",
            "type": "Element",
            "max_length": 100,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    ebc_name: str = field(
        metadata={
            "name": "ebcName",
            "type": "Element",
            "max_length": 100,
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "max_length": 80,
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    logistics_name: str = field(
        metadata={
            "name": "logisticsName",
            "type": "Element",
            "max_length": 100,
        }
    )
    co_el_no: str = field(
        metadata={
            "name": "coElNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    pre_no: None | str = field(
        default=None,
        metadata={
            "name": "preNo",
            "type": "Element",
            "max_length": 18,
        },
    )
    invt_no: str = field(
        metadata={
            "name": "invtNo",
            "type": "Element",
            "max_length": 20,
        }
    )
    trade_mode: None | str = field(
        default=None,
        metadata={
            "name": "tradeMode",
            "type": "Element",
            "length": 4,
        },
    )
    agent_code: str = field(
        metadata={
            "name": "agentCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    agent_name: str = field(
        metadata={
            "name": "agentName",
            "type": "Element",
            "max_length": 100,
        }
    )
    bill_no: str = field(
        metadata={
            "name": "billNo",
            "type": "Element",
            "max_length": 37,
        }
    )
    ie_flag: str = field(
        metadata={
            "name": "ieFlag",
            "type": "Element",
            "max_length": 1,
        }
    )
    traf_mode: str = field(
        metadata={
            "name": "trafMode",
            "type": "Element",
            "max_length": 1,
        }
    )
    traf_name: str = field(
        metadata={
            "name": "trafName",
            "type": "Element",
            "max_length": 100,
        }
    )
    port_code: str = field(
        metadata={
            "name": "portCode",
            "type": "Element",
            "max_length": 4,
        }
    )
    reason: str = field(
        metadata={
            "type": "Element",
            "max_length": 500,
        }
    )
    country: str = field(
        metadata={
            "type": "Element",
            "max_length": 3,
        }
    )
    voyage_no: str = field(
        metadata={
            "name": "voyageNo",
            "type": "Element",
            "max_length": 32,
        }
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 500,
        },
    )


@dataclass(kw_only=True)
class InvtRefundList:
    """
    退货申请单商品表体.

    :ivar gnum: 对应原申报清单表体项号（退货项序号）
    :ivar gcode: 与原申报清单一致
    :ivar gname: 与原申报清单一致
    :ivar gmodel: 与原申报清单一致。
    :ivar qty: 不大于原申报清单申报数量，
    :ivar qty1: 不大于原清单法定第一数量
    :ivar unit: 与原申报清单保持一致。
    :ivar unit1: 海关标准的参数代码 《JGS-20 海关业务代码集》- 计量单位代码，与原申报清单保持一致。
    :ivar qty2: 不大于原申报清单法定第二数量
    :ivar unit2: 海关标准的参数代码 《JGS-20 海关业务代码集》- 计量单位代码，与原申报清单保持一致。
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    gnum: int = field(
        metadata={
            "type": "Element",
            "total_digits": 4,
        }
    )
    gcode: str = field(
        metadata={
            "type": "Element",
            "max_length": 10,
        }
    )
    gname: str = field(
        metadata={
            "type": "Element",
            "max_length": 250,
        }
    )
    gmodel: str = field(
        metadata={
            "type": "Element",
            "max_length": 250,
        }
    )
    qty: Decimal = field(
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    qty1: Decimal = field(
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    unit: str = field(
        metadata={
            "type": "Element",
            "length": 3,
        }
    )
    unit1: str = field(
        metadata={
            "type": "Element",
            "length": 3,
        }
    )
    qty2: None | Decimal = field(
        default=None,
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        },
    )
    unit2: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "length": 3,
        },
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 500,
        },
    )


@dataclass(kw_only=True)
class Logistics:
    """
    物流运单数据实体.

    :ivar guid: 系统唯一序号-企业系统生成36位唯一序号（英文字母大写）
    :ivar app_type: 报送类型-企业报送类型。1-新增 2-变更 3-删除。
    :ivar app_time: 报送时间-企业报送时间。格式:YYYYMMDDhhmmss。
    :ivar app_status: 报送状态-企业报送状态。1-暂存,2-申报。
    :ivar logistics_code: 物流企业代码-物流企业的10位海关代码或者18位统一社会信用代码
    :ivar logistics_name: 物流企业名称-物流企业的海关登记名称
    :ivar logistics_no: 物流运单编号-物流企业的运单包裹面单号（提运单号+运单编号形成唯一编号）
    :ivar freight: 运费-货物运输费用
    :ivar insured_fee: 保价费-货物保险费用
    :ivar currency: 币制-海关标准的参数代码 《JGS-20 海关业务代码集》- 货币代码
    :ivar gross_weight: 毛重-单位为千克
    :ivar pack_no: 件数-单个运单下包裹数
    :ivar goods_info: 主要货物信息-物流企业可验视的商品信息
    :ivar ebc_code: 收发货人代码-电商企业的10位海关代码或者18位信用代码
    :ivar ebc_name: 收发货人名称-电商企业的海关备案名称（电子口岸校验名称）
    :ivar ebc_telephone: 收发货人电话
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    app_type: str = field(
        metadata={
            "name": "appType",
            "type": "Element",
            "length": 1,
        }
    )
    app_time: str = field(
        metadata={
            "name": "appTime",
            "type": "Element",
            "length": 14,
        }
    )
    app_status: str = field(
        default="2",
        metadata={
            "name": "appStatus",
            "type": "Element",
            "length": 1,
        },
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    logistics_name: str = field(
        metadata={
            "name": "logisticsName",
            "type": "Element",
            "max_length": 100,
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "max_length": 32,
        }
    )
    freight: Decimal = field(
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    insured_fee: Decimal = field(
        metadata={
            "name": "insuredFee",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    currency: str = field(
        metadata={
            "type": "Element",
            "length": 3,
        }
    )
    gross_weight: Decimal = field(
        metadata={
            "name": "grossWeight",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    pack_no: int = field(
        metadata={
            "name": "packNo",
            "type": "Element",
            "total_digits": 9,
        }
    )
    goods_info: str = field(
        metadata={
            "name": "goodsInfo",
            "type": "Element",
            "max_length": 200,
            "white_space": "collapse",
        }
    )
    ebc_code: None | str = field(
        default=None,
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "max_length": 18,
        },
    )
    ebc_name: None | str = field(
        default=None,
        metadata={
            "name": "ebcName",
            "type": "Element",
            "max_length": 100,
        },
    )
    ebc_telephone: None | str = field(
        default=None,
        metadata={
            "name": "ebcTelephone",
            "type": "Element",
            "max_length": 50,
        },
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class LogisticsReturn:
    """
    物流运单回执实体.

    :ivar guid: 系统唯一序号-电子口岸生成36位唯一序号（英文字母大写）
    :ivar logistics_code: 物流企业代码-物流企业的海关注册登记编号。
    :ivar logistics_no: 物流运单编号-
        物流企业的运单包裹面单号。同一物流企业的运单编号在6个月内不重复。运单编号长度不能超过60位。
    :ivar return_status: 回执状态-
        操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/399海关审结等）,若小于0数字表示处理异常回执
    :ivar return_time: 回执时间-操作时间(格式:yyyyMMddHHmmssfff)
    :ivar return_info: 回执信息（如:退单原因）
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "max_length": 32,
        }
    )
    return_status: str = field(
        metadata={
            "name": "returnStatus",
            "type": "Element",
            "min_length": 1,
            "max_length": 10,
        }
    )
    return_time: str = field(
        metadata={
            "name": "returnTime",
            "type": "Element",
            "length": 17,
        }
    )
    return_info: str = field(
        metadata={
            "name": "returnInfo",
            "type": "Element",
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class OrderHead:
    """
    订单表头.

    :ivar guid: 系统唯一序号-企业系统生成36位唯一序号（英文字母大写）
    :ivar app_type: 报送类型-企业报送类型。1-新增 2-变更 3-删除。
    :ivar app_time: 报送时间-企业报送时间。格式:YYYYMMDDhhmmss。
    :ivar app_status: 报送状态-企业报送状态。1-暂存,2-申报。
    :ivar order_type: 订单类型-电商平台的订单类型 I-进口商品订单；E-出口商品订单；B-B2B出口订单；W-外综服订单
    :ivar order_no: 订单编号-交易平台的订单编号，同一交易平台的订单编号应唯一
    :ivar ebp_code: 电商平台代码-电商平台的海关注册登记编号
    :ivar ebp_name: 电商平台名称-电商平台的海关注册登记名称
    :ivar ebc_code: 电商企业代码-电商企业的海关注册登记编号(10位海关编码或18位统一社会信用代码)
    :ivar ebc_name: 电商企业名称-电商企业的海关注册登记名称，对应清单的收发货人
    :ivar goods_value: 商品金额-商品实际成交价FOB(不含运杂费)，含非现金抵扣金额
    :ivar freight: 运杂费-运杂费，无则填写"0"。
    :ivar currency: 币制-海关标准的参数代码 《JGS-20 海关业务代码集》- 货币代码
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    app_type: str = field(
        metadata={
            "name": "appType",
            "type": "Element",
            "length": 1,
        }
    )
    app_time: str = field(
        metadata={
            "name": "appTime",
            "type": "Element",
            "length": 14,
        }
    )
    app_status: str = field(
        default="1",
        metadata={
            "name": "appStatus",
            "type": "Element",
            "length": 1,
        },
    )
    order_type: str = field(
        metadata={
            "name": "orderType",
            "type": "Element",
            "length": 1,
        }
    )
    order_no: str = field(
        metadata={
            "name": "orderNo",
            "type": "Element",
            "max_length": 60,
        }
    )
    ebp_code: str = field(
        metadata={
            "name": "ebpCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    ebp_name: str = field(
        metadata={
            "name": "ebpName",
            "type": "Element",
            "max_length": 100,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    ebc_name: str = field(
        metadata={
            "name": "ebcName",
            "type": "Element",
            "max_length": 100,
        }
    )
    goods_value: Decimal = field(
        metadata={
            "name": "goodsValue",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    freight: Decimal = field(
        default=Decimal("0"),
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        },
    )
    currency: str = field(
        metadata={
            "type": "Element",
            "length": 3,
        }
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class OrderList:
    """
    订单商品表体.

    :ivar gnum: 序号-从1开始的递增序号（与清单的商品项关联对应）
    :ivar item_no: 企业商品货号-企业自定义的商品货号
    :ivar item_name: 企业商品名称-同一类商品的中文名称。任何一种具体商品可以并只能归入表中的一个条目
    :ivar item_describe: 企业商品描述-电商平台上架的商品描述宣传信息
    :ivar bar_code: 条形码-商品条形码一般由前缀部分、制造厂商代码、商品代码和校验码组成。
    :ivar unit: 计量单位-海关标准的参数代码 海关标准的参数代码 《JGS-20 海关业务代码集》，计量单位代码
    :ivar currency: 币制-海关标准的参数代码 海关标准的参数代码 《JGS-20 海关业务代码集》- 货币代码
    :ivar qty: 数量
    :ivar price: 单价
    :ivar total_price: 总价
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    gnum: int = field(
        metadata={
            "type": "Element",
            "total_digits": 5,
        }
    )
    item_no: str = field(
        metadata={
            "name": "itemNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    item_name: str = field(
        metadata={
            "name": "itemName",
            "type": "Element",
            "max_length": 250,
        }
    )
    item_describe: None | str = field(
        default=None,
        metadata={
            "name": "itemDescribe",
            "type": "Element",
            "max_length": 1000,
        },
    )
    bar_code: None | str = field(
        default=None,
        metadata={
            "name": "barCode",
            "type": "Element",
            "max_length": 50,
        },
    )
    unit: str = field(
        metadata={
            "type": "Element",
            "length": 3,
        }
    )
    currency: str = field(
        metadata={
            "type": "Element",
            "length": 3,
        }
    )
    qty: Decimal = field(
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    price: Decimal = field(
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    total_price: Decimal = field(
        metadata={
            "name": "totalPrice",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class OrderReturn:
    """
    订单回执实体.

    :ivar guid: 系统唯一序号-电子口岸系统生成36位唯一序号（英文字母大写）
    :ivar ebp_code:
        电商平台海关注册登记编号或统一社会信用代码。境内企业需据实填写海关注册登记编号或统一社会信用代码，境外平台企业如无法提供电商平台代码可填“无”。
    :ivar ebc_code: 电商企业代码-电商企业的海关注册登记编号。
    :ivar order_no: 电商平台订单编号/海外仓订仓单编号，同一交易平台的订单编号应唯一。订单编号长度不能超过60位。
    :ivar return_status: 回执状态-
        操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/399海关审结等）,若小于0数字表示处理异常回执
    :ivar return_time: 回执时间-操作时间(格式：yyyyMMddHHmmssfff)
    :ivar return_info: 回执信息（如:退单原因）
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    ebp_code: str = field(
        metadata={
            "name": "ebpCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    order_no: str = field(
        metadata={
            "name": "orderNo",
            "type": "Element",
            "max_length": 60,
        }
    )
    return_status: str = field(
        metadata={
            "name": "returnStatus",
            "type": "Element",
            "min_length": 1,
            "max_length": 10,
        }
    )
    return_time: str = field(
        metadata={
            "name": "returnTime",
            "type": "Element",
            "length": 17,
        }
    )
    return_info: str = field(
        metadata={
            "name": "returnInfo",
            "type": "Element",
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class Receipts:
    """
    收款单数据实体.

    :ivar guid: 系统唯一序号-企业系统生成36位唯一序号（英文字母大写）
    :ivar app_type: 报送类型-企业报送类型。1-新增 2-变更 3-删除。
    :ivar app_time: 报送时间-企业报送时间。格式:YYYYMMDDhhmmss。
    :ivar app_status: 报送状态-企业报送状态。1-暂存,2-申报。
    :ivar ebp_code: 电商平台代码-电商企业的海关注册登记编号或统一社会信用代码,，对应清单的收发货人。
    :ivar ebp_name: 电商平台名称-电商企业的海关注册登记编号或统一社会信用代码,，对应清单的收发货人。
    :ivar ebc_code: 电商企业代码-电商企业的海关注册登记编号(10位海关编码或18位统一社会信用代码)
    :ivar ebc_name: 电商企业名称-电商企业的海关注册登记名称，对应清单的收发货人
    :ivar order_no: 订单编号-电商平台的交易订单编号
    :ivar pay_code: 支付企业代码-支付企业的海关编码,国内企业必填。
    :ivar pay_name: 支付企业名称-支付企业名称,非线上支付填"现金支付"
    :ivar pay_no: 支付交易编号
    :ivar charge: 收款金额-支付企业的订单交易金额
    :ivar currency: 币制-海关标准的参数代码
    :ivar accounting_date: 到账时间 格式:YYYYMMDDhhmmss
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    app_type: str = field(
        metadata={
            "name": "appType",
            "type": "Element",
            "length": 1,
        }
    )
    app_time: str = field(
        metadata={
            "name": "appTime",
            "type": "Element",
            "length": 14,
        }
    )
    app_status: str = field(
        default="1",
        metadata={
            "name": "appStatus",
            "type": "Element",
            "length": 1,
        },
    )
    ebp_code: str = field(
        metadata={
            "name": "ebpCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    ebp_name: str = field(
        metadata={
            "name": "ebpName",
            "type": "Element",
            "max_length": 100,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    ebc_name: str = field(
        metadata={
            "name": "ebcName",
            "type": "Element",
            "max_length": 100,
        }
    )
    order_no: str = field(
        metadata={
            "name": "orderNo",
            "type": "Element",
            "max_length": 60,
        }
    )
    pay_code: None | str = field(
        default=None,
        metadata={
            "name": "payCode",
            "type": "Element",
            "max_length": 18,
        },
    )
    pay_name: str = field(
        metadata={
            "name": "payName",
            "type": "Element",
            "max_length": 100,
        }
    )
    pay_no: None | str = field(
        default=None,
        metadata={
            "name": "payNo",
            "type": "Element",
            "max_length": 60,
        },
    )
    charge: Decimal = field(
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    currency: str = field(
        metadata={
            "type": "Element",
            "length": 3,
        }
    )
    accounting_date: str = field(
        metadata={
            "name": "accountingDate",
            "type": "Element",
            "length": 14,
        }
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class ReceiptsReturn:
    """
    收款单回执实体.

    :ivar guid: 系统唯一序号-电子口岸系统生成36位唯一序号（英文字母大写）
    :ivar ebc_code: 电商企业代码-电商企业的10位海关代码或者18位信用代码
    :ivar order_no: 电商平台订单编号/海外仓订仓单编号，同一交易平台的订单编号应唯一。订单编号长度不能超过60位。
    :ivar pay_no: 支付交易编号-支付交易编号
    :ivar return_status: 回执状态-
        操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/399海关审结等）,若小于0数字表示处理异常回执
    :ivar return_time: 回执时间-操作时间(格式:yyyyMMddHHmmssfff)
    :ivar return_info: 回执信息（如:退单原因）
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    order_no: str = field(
        metadata={
            "name": "orderNo",
            "type": "Element",
            "max_length": 60,
        }
    )
    pay_no: None | str = field(
        default=None,
        metadata={
            "name": "payNo",
            "type": "Element",
            "max_length": 60,
        },
    )
    return_status: str = field(
        metadata={
            "name": "returnStatus",
            "type": "Element",
            "min_length": 1,
            "max_length": 10,
        }
    )
    return_time: str = field(
        metadata={
            "name": "returnTime",
            "type": "Element",
            "length": 17,
        }
    )
    return_info: str = field(
        metadata={
            "name": "returnInfo",
            "type": "Element",
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class RefundReturn:
    """
    退货申请单回执实体.

    :ivar guid: 系统唯一序号-企业系统生成36位唯一序号（英文字母大写）
    :ivar ebp_code:
        电商平台的海关注册登记编号；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台标识编号为准
    :ivar ebc_code: 电商企业的海关注册登记编号
    :ivar agent_code: 申报单位的海关注册登记编号
    :ivar co_el_no: 企业内部标识单证的编号
    :ivar pre_no: 电子口岸标识单证的编号
    :ivar invt_no: 申请退货的原始清单编号
    :ivar return_status:
        操作结果（1暂存/2申报中/3发送海关成功/4发送海关失败/100海关退单/120海关入库/300待人工审核/500查验/505移交/600挂起/800放行）,若小于0数字表示处理异常回执
    :ivar return_time: 操作时间(格式:YYYYMMDDhhmmssSSS)。
    :ivar return_info: 回执信息
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    ebp_code: None | str = field(
        default=None,
        metadata={
            "name": "ebpCode",
            "type": "Element",
            "max_length": 18,
        },
    )
    ebc_code: None | str = field(
        default=None,
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "max_length": 18,
        },
    )
    agent_code: str = field(
        metadata={
            "name": "agentCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    co_el_no: str = field(
        metadata={
            "name": "coElNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    pre_no: None | str = field(
        default=None,
        metadata={
            "name": "preNo",
            "type": "Element",
            "max_length": 18,
        },
    )
    invt_no: str = field(
        metadata={
            "name": "invtNo",
            "type": "Element",
            "max_length": 20,
        }
    )
    return_status: str = field(
        metadata={
            "name": "returnStatus",
            "type": "Element",
            "max_length": 10,
        }
    )
    return_time: str = field(
        metadata={
            "name": "returnTime",
            "type": "Element",
            "length": 17,
        }
    )
    return_info: str = field(
        metadata={
            "name": "returnInfo",
            "type": "Element",
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class SummaryApplyHead:
    """
    汇总申请单表头.

    :ivar guid: 系统唯一序号-企业系统生成36位唯一序号（英文字母大写）
    :ivar app_type: 报送类型-企业报送类型。1-新增 2-变更 3-删除。
    :ivar app_time: 报送时间-企业报送时间。格式:YYYYMMDDhhmmss。
    :ivar app_status: 报送状态-企业报送状态。1-暂存,2-申报。
    :ivar customs_code: 申报地海关代码-4位海关编号。《海关关区代码》
    :ivar cop_no: 企业生成标识唯一编号
    :ivar pre_no: 预录入编号-电子口岸标识单证的编号
    :ivar sum_no: 汇总申请编号-海关反馈生成的汇总申请编号
    :ivar agent_code: 申报单位代码-申报单位的10位海关代码或者18位信用代码
    :ivar agent_name: 申报单位名称-申报单位的海关备案名称
    :ivar ebc_code: 收发货人代码-电商企业的10位海关代码或者18位信用代码
    :ivar ebc_name: 收发货人名称-电商企业的海关备案名称
    :ivar decl_agent_code: 报关单位代码-报关单申报单位的10位海关代码或者18位信用代码
    :ivar decl_agent_name: 报关单位名称-报关单申报单位的海关备案名称
    :ivar start_time: 汇总开始时间-
        汇总指定时间范围的清单，格式:YYYYMMDDhhmmss。填写须成对，结束时间须大于等于开始时间。如指定时间范围将忽略表体数据。
    :ivar end_time: 汇总开始时间-
        汇总指定时间范围的清单，格式:YYYYMMDDhhmmss。填写须成对，结束时间须大于等于开始时间。如指定时间范围将忽略表体数据。
    :ivar loct_no: 监管场所代码-针对同一申报地海关下有多个跨境电子商务的监管场所,需要填写区分
    :ivar summary_flag: 收发货人汇总标志-汇总标志 1:按收发货人单一汇总，2:按收发货人和生产销售单位汇总
    :ivar item_name_flag: 按商品名汇总标志-
        按企业商品名汇总标志,填1,按清单原始商品名相同汇总，不填则按商品综合分类名汇总
    :ivar msg_count: 报文总数-拆分后的报文总数。未拆分的不填，拆分的填实际数量。
    :ivar msg_seq_no: 报文序号-当前报文序号。以1开始的报文顺序号，未拆分的不填，拆分的报文需要连续编号，不得跳号。
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    app_type: str = field(
        metadata={
            "name": "appType",
            "type": "Element",
            "length": 1,
        }
    )
    app_time: str = field(
        metadata={
            "name": "appTime",
            "type": "Element",
            "length": 14,
        }
    )
    app_status: str = field(
        default="2",
        metadata={
            "name": "appStatus",
            "type": "Element",
            "length": 1,
        },
    )
    customs_code: str = field(
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        }
    )
    cop_no: str = field(
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    pre_no: None | str = field(
        default=None,
        metadata={
            "name": "preNo",
            "type": "Element",
            "max_length": 18,
        },
    )
    sum_no: None | str = field(
        default=None,
        metadata={
            "name": "sumNo",
            "type": "Element",
            "max_length": 18,
        },
    )
    agent_code: str = field(
        metadata={
            "name": "agentCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    agent_name: str = field(
        metadata={
            "name": "agentName",
            "type": "Element",
            "max_length": 100,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    ebc_name: str = field(
        metadata={
            "name": "ebcName",
            "type": "Element",
            "max_length": 100,
        }
    )
    decl_agent_code: str = field(
        metadata={
            "name": "declAgentCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    decl_agent_name: str = field(
        metadata={
            "name": "declAgentName",
            "type": "Element",
            "max_length": 100,
        }
    )
    start_time: None | str = field(
        default=None,
        metadata={
            "name": "startTime",
            "type": "Element",
            "length": 14,
        },
    )
    end_time: None | str = field(
        default=None,
        metadata={
            "name": "endTime",
            "type": "Element",
            "length": 14,
        },
    )
    loct_no: None | str = field(
        default=None,
        metadata={
            "name": "loctNo",
            "type": "Element",
            "max_length": 10,
        },
    )
    summary_flag: str = field(
        metadata={
            "name": "summaryFlag",
            "type": "Element",
            "length": 1,
        }
    )
    item_name_flag: str = field(
        metadata={
            "name": "itemNameFlag",
            "type": "Element",
            "length": 1,
        }
    )
    msg_count: int = field(
        metadata={
            "name": "msgCount",
            "type": "Element",
            "total_digits": 9,
        }
    )
    msg_seq_no: int = field(
        metadata={
            "name": "msgSeqNo",
            "type": "Element",
            "total_digits": 9,
        }
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class SummaryApplyList:
    """
    汇总申请单数据表体.

    :ivar invt_no: 清单编号
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    invt_no: str = field(
        metadata={
            "name": "invtNo",
            "type": "Element",
            "max_length": 20,
        }
    )


@dataclass(kw_only=True)
class SummaryResultHead:
    """
    汇总结果单表头.

    :ivar guid: 系统唯一序号-企业系统生成36位唯一序号（英文字母大写）
    :ivar customs_code: 申报地海关代码-4位海关编号。《海关关区代码》
    :ivar sum_no: 汇总申请编号-海关生成的汇总申请编号
    :ivar op_date: 汇总处理时间-汇总处理时间，格式:YYYYMMDDhhmmssfff。
    :ivar decl_seq_no: 汇总统一编号-海关生成唯一对应报关单
    :ivar dec_tmp_no: 报关单暂存编号-电子口岸报关单暂存编号
    :ivar dec_pre_no: 报关单预录入编号-电子口岸报关单预录入编号
    :ivar entry_id: 报关单编号-海关生成的报关单编号
    :ivar dec_state: 报关单状态-报关单状态（具体返回值由海关确定）
    :ivar agent_code: 申报企业代码-申报单位的海关登记编号
    :ivar agent_name: 申报企业名称-申报单位的海关登记名称
    :ivar ebc_code: 收发货人代码-收发货人（电商企业）的10位海关代码或者18位信用代码
    :ivar ebc_name: 收发货人名称-收发货人（电商企业）的海关备案名称
    :ivar decl_agent_code: 报关单位代码-后续报关单申报单位的海关注册登记编号或统一社会信用代码
    :ivar decl_agent_name: 报关单位名称-后续报关单申报单位的登记名称
    :ivar gross_weight: 毛重（公斤）-货物及其包装材料的重量之和，计量单位为千克
    :ivar net_weight: 净重（公斤）-货物的毛重减去外包装材料后的重量，即货物本身的实际重量，计量单位为千克
    :ivar msg_count: 报文总数-拆分后的报文总数。未拆分的不填，拆分的填实际数量。
    :ivar msg_seq_no: 报文序号-当前报文序号，以1开始的报文顺序号。未拆分的不填，拆分的报文需要连续编号，不得跳号。
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    customs_code: str = field(
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        }
    )
    sum_no: str = field(
        metadata={
            "name": "sumNo",
            "type": "Element",
            "length": 18,
        }
    )
    op_date: str = field(
        metadata={
            "name": "opDate",
            "type": "Element",
            "length": 17,
        }
    )
    decl_seq_no: str = field(
        metadata={
            "name": "declSeqNo",
            "type": "Element",
            "length": 18,
        }
    )
    dec_tmp_no: None | str = field(
        default=None,
        metadata={
            "name": "decTmpNo",
            "type": "Element",
            "length": 18,
        },
    )
    dec_pre_no: None | str = field(
        default=None,
        metadata={
            "name": "decPreNo",
            "type": "Element",
            "length": 18,
        },
    )
    entry_id: None | str = field(
        default=None,
        metadata={
            "name": "entryId",
            "type": "Element",
            "length": 18,
        },
    )
    dec_state: str = field(
        metadata={
            "name": "decState",
            "type": "Element",
            "min_length": 1,
            "max_length": 3,
        }
    )
    agent_code: str = field(
        metadata={
            "name": "agentCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    agent_name: str = field(
        metadata={
            "name": "agentName",
            "type": "Element",
            "max_length": 100,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    ebc_name: str = field(
        metadata={
            "name": "ebcName",
            "type": "Element",
            "max_length": 100,
        }
    )
    decl_agent_code: str = field(
        metadata={
            "name": "declAgentCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    decl_agent_name: str = field(
        metadata={
            "name": "declAgentName",
            "type": "Element",
            "max_length": 100,
        }
    )
    gross_weight: Decimal = field(
        metadata={
            "name": "grossWeight",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    net_weight: Decimal = field(
        metadata={
            "name": "netWeight",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    msg_count: int = field(
        metadata={
            "name": "msgCount",
            "type": "Element",
            "total_digits": 9,
        }
    )
    msg_seq_no: int = field(
        metadata={
            "name": "msgSeqNo",
            "type": "Element",
            "total_digits": 9,
        }
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class SummaryResultList:
    """
    汇总结果单表体(允许可空).

    :ivar invt_no: 清单编号
    :ivar logistics_no: 物流运单编号
    :ivar gseqno: 汇总结果单的顺序号
    :ivar gnum: 清单商品项的序号
    :ivar gcode: 清单商品编码
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    invt_no: str = field(
        metadata={
            "name": "invtNo",
            "type": "Element",
            "max_length": 20,
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "max_length": 32,
        }
    )
    gseqno: int = field(
        metadata={
            "type": "Element",
            "total_digits": 5,
        }
    )
    gnum: int = field(
        metadata={
            "type": "Element",
            "total_digits": 5,
        }
    )
    gcode: str = field(
        metadata={
            "type": "Element",
            "length": 10,
        }
    )


@dataclass(kw_only=True)
class SummaryReturn:
    """
    汇总申请单回执实体.

    :ivar guid: 系统唯一序号-电子口岸生成36位唯一序号（英文字母大写）
    :ivar agent_code: 申报企业代码-申报单位的10位海关代码或者18位信用代码
    :ivar ebc_code: 收发货人代码-电商企业的10位海关代码或者18位信用代码
    :ivar cop_no: 企业唯一编号-企业生成标识唯一编号
    :ivar pre_no: 预录入编号-电子口岸标识单证的编号
    :ivar sum_no: 汇总申请编号-海关反馈生成的汇总申请编号
    :ivar msg_seq_no: 报文序号-当前报文序号。以1开始的报文顺序号，未拆分的不填，拆分的报文需要连续编号，不得跳号。
    :ivar return_status: 回执状态-
        操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/399海关审结等）,若小于0数字表示处理异常回执
    :ivar return_time: 回执时间-操作时间(格式:yyyyMMddHHmmssfff)
    :ivar return_info: 回执信息-备注（如不通过原因）
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    agent_code: str = field(
        metadata={
            "name": "agentCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    cop_no: str = field(
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    pre_no: str = field(
        metadata={
            "name": "preNo",
            "type": "Element",
            "length": 18,
        }
    )
    sum_no: None | str = field(
        default=None,
        metadata={
            "name": "sumNo",
            "type": "Element",
            "length": 18,
        },
    )
    msg_seq_no: int = field(
        metadata={
            "name": "msgSeqNo",
            "type": "Element",
            "total_digits": 9,
        }
    )
    return_status: str = field(
        metadata={
            "name": "returnStatus",
            "type": "Element",
            "min_length": 1,
            "max_length": 10,
        }
    )
    return_time: str = field(
        metadata={
            "name": "returnTime",
            "type": "Element",
            "length": 17,
        }
    )
    return_info: str = field(
        metadata={
            "name": "returnInfo",
            "type": "Element",
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class WayBillHead:
    """
    清单总分单数据.

    :ivar guid: 36位系统唯一序号（英文字母大写）
    :ivar app_type: 申报类型:1-新增;2-变更;3-删除，默认为1
    :ivar app_time: 业务时间,格式:YYYYMMDDhhmmss
    :ivar app_status:
        企业报送状态。1-暂存,2-申报,默认为1。填写2时需要业务加签申报即Signature节点必须填写.
    :ivar customs_code: 申报海关代码,办理通关手续的4位海关编号
    :ivar cop_no: 企业唯一编号-企业生成标识唯一编号
    :ivar pre_no: 预录入编号-电子口岸标识单证的编号
    :ivar agent_code: 申报企业代码-申报单位的海关注册登记编号或统一社会信用代码
    :ivar agent_name: 申报企业名称
    :ivar loct_no: 监管场所代码
    :ivar traf_mode: 运输方式代码,海关参数代码
    :ivar traf_name: 运输工具名称
    :ivar voyage_no: 航班航次号,物流企业提供
    :ivar bill_no: 提运单号,物流企业提供
    :ivar domestic_traf_no: 境内运输工具编号 运往海关监管场所的运输工具编号，例如车牌号
    :ivar gross_weight: 毛重（千克）
    :ivar logistics_code: 物流企业代码,10位海关代码或者18位信用代码
    :ivar logistics_name: 物流企业名称
    :ivar msg_count: 拆分后的报文数 未拆分的不填，拆分的填实际数量。
    :ivar msg_seq_no: 报文序号 以1开始的报文顺序号。未拆分的不填，拆分的报文需要连续编号，不得跳号。
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    app_type: str = field(
        metadata={
            "name": "appType",
            "type": "Element",
            "length": 1,
        }
    )
    app_time: str = field(
        metadata={
            "name": "appTime",
            "type": "Element",
            "length": 14,
        }
    )
    app_status: str = field(
        metadata={
            "name": "appStatus",
            "type": "Element",
            "length": 1,
        }
    )
    customs_code: str = field(
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        }
    )
    cop_no: str = field(
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    pre_no: None | str = field(
        default=None,
        metadata={
            "name": "preNo",
            "type": "Element",
            "length": 18,
        },
    )
    agent_code: str = field(
        metadata={
            "name": "agentCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    agent_name: str = field(
        metadata={
            "name": "agentName",
            "type": "Element",
            "max_length": 100,
        }
    )
    loct_no: None | str = field(
        default=None,
        metadata={
            "name": "loctNo",
            "type": "Element",
            "max_length": 10,
        },
    )
    traf_mode: str = field(
        metadata={
            "name": "trafMode",
            "type": "Element",
            "length": 1,
            "white_space": "collapse",
        }
    )
    traf_name: str = field(
        metadata={
            "name": "trafName",
            "type": "Element",
            "max_length": 100,
            "white_space": "collapse",
        }
    )
    voyage_no: str = field(
        metadata={
            "name": "voyageNo",
            "type": "Element",
            "max_length": 32,
            "white_space": "collapse",
        }
    )
    bill_no: str = field(
        metadata={
            "name": "billNo",
            "type": "Element",
            "max_length": 37,
        }
    )
    domestic_traf_no: None | str = field(
        default=None,
        metadata={
            "name": "domesticTrafNo",
            "type": "Element",
            "max_length": 100,
        },
    )
    gross_weight: Decimal = field(
        metadata={
            "name": "grossWeight",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    logistics_name: str = field(
        metadata={
            "name": "logisticsName",
            "type": "Element",
            "max_length": 100,
        }
    )
    msg_count: int = field(
        metadata={
            "name": "msgCount",
            "type": "Element",
            "total_digits": 9,
        }
    )
    msg_seq_no: int = field(
        metadata={
            "name": "msgSeqNo",
            "type": "Element",
            "total_digits": 9,
        }
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class WayBillList:
    """
    提运单表体项类.

    :ivar gnum: 项号,从1开始连续序号
    :ivar total_package_no: 总包号。 物流企业对于一个提运单下含有多个大包的托盘编号（邮件为邮袋号）。
    :ivar logistics_no: 物流运单编号
    :ivar invt_no: 原出口清单编号
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    gnum: int = field(
        metadata={
            "type": "Element",
            "total_digits": 5,
        }
    )
    total_package_no: None | str = field(
        default=None,
        metadata={
            "name": "totalPackageNo",
            "type": "Element",
            "max_length": 60,
        },
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "max_length": 32,
        }
    )
    invt_no: None | str = field(
        default=None,
        metadata={
            "name": "invtNo",
            "type": "Element",
            "max_length": 20,
        },
    )
    note: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 1000,
        },
    )


@dataclass(kw_only=True)
class WayBillReturn:
    """
    清单总分单回执.

    :ivar guid: 36位系统唯一序号（英文字母大写）
    :ivar agent_code: 申报企业代码-10位海关代码或者18位信用代码
    :ivar logistics_code: 物流企业代码,10位海关代码或者18位信用代码
    :ivar cop_no: 企业生成标识唯一编号
    :ivar pre_no: 预录入编号-电子口岸标识单证的编号
    :ivar bill_no: 提运单号,提单或总运单的编号
    :ivar msg_seq_no: 报文序号-当前报文序号。以1开始的报文顺序号，未拆分的不填，拆分的报文需要连续编号，不得跳号。
    :ivar return_status:
        操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/399海关审结等）,若小于0数字表示处理异常回执
    :ivar return_time: 回执时间,格式YYYYMMDDhhmmssfff
    :ivar return_info: 回执信息（如:退单原因）
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    agent_code: str = field(
        metadata={
            "name": "agentCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "max_length": 18,
        }
    )
    cop_no: str = field(
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 30,
        }
    )
    pre_no: str = field(
        metadata={
            "name": "preNo",
            "type": "Element",
            "length": 18,
        }
    )
    bill_no: str = field(
        metadata={
            "name": "billNo",
            "type": "Element",
            "max_length": 37,
        }
    )
    msg_seq_no: int = field(
        metadata={
            "name": "msgSeqNo",
            "type": "Element",
            "total_digits": 9,
        }
    )
    return_status: str = field(
        metadata={
            "name": "returnStatus",
            "type": "Element",
            "min_length": 1,
            "max_length": 10,
        }
    )
    return_time: str = field(
        metadata={
            "name": "returnTime",
            "type": "Element",
            "length": 17,
        }
    )
    return_info: str = field(
        metadata={
            "name": "returnInfo",
            "type": "Element",
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class Xmlelement:
    """
    XML格式字符实体.
    """

    class Meta:
        name = "XMLElement"
        target_namespace = "http://www.chinaport.gov.cn/ceb"

    any_element: None | object = field(
        default=None,
        metadata={
            "type": "Wildcard",
            "namespace": "##any",
            "process_contents": "skip",
        },
    )


@dataclass(kw_only=True)
class CanonicalizationMethodType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    algorithm: str = field(
        metadata={
            "name": "Algorithm",
            "type": "Attribute",
        }
    )
    content: list[object] = field(
        default_factory=list,
        metadata={
            "type": "Wildcard",
            "namespace": "##any",
            "mixed": True,
        },
    )


@dataclass(kw_only=True)
class DsakeyValueType:
    class Meta:
        name = "DSAKeyValueType"
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    p: None | bytes = field(
        default=None,
        metadata={
            "name": "P",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "format": "base64",
        },
    )
    q: None | bytes = field(
        default=None,
        metadata={
            "name": "Q",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "format": "base64",
        },
    )
    g: None | bytes = field(
        default=None,
        metadata={
            "name": "G",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "format": "base64",
        },
    )
    y: bytes = field(
        metadata={
            "name": "Y",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "format": "base64",
        }
    )
    j: None | bytes = field(
        default=None,
        metadata={
            "name": "J",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "format": "base64",
        },
    )
    seed: None | bytes = field(
        default=None,
        metadata={
            "name": "Seed",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "format": "base64",
        },
    )
    pgen_counter: None | bytes = field(
        default=None,
        metadata={
            "name": "PgenCounter",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "format": "base64",
        },
    )


@dataclass(kw_only=True)
class DigestMethodType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    algorithm: str = field(
        metadata={
            "name": "Algorithm",
            "type": "Attribute",
        }
    )
    content: list[object] = field(
        default_factory=list,
        metadata={
            "type": "Wildcard",
            "namespace": "##any",
            "mixed": True,
        },
    )


@dataclass(kw_only=True)
class DigestValue:
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"

    value: bytes = field(
        default=b"",
        metadata={
            "format": "base64",
        },
    )


@dataclass(kw_only=True)
class KeyName:
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"

    value: str = field(default="")


@dataclass(kw_only=True)
class MgmtData:
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"

    value: str = field(default="")


@dataclass(kw_only=True)
class ObjectType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    id: None | str = field(
        default=None,
        metadata={
            "name": "Id",
            "type": "Attribute",
        },
    )
    mime_type: None | str = field(
        default=None,
        metadata={
            "name": "MimeType",
            "type": "Attribute",
        },
    )
    encoding: None | str = field(
        default=None,
        metadata={
            "name": "Encoding",
            "type": "Attribute",
        },
    )
    content: list[object] = field(
        default_factory=list,
        metadata={
            "type": "Wildcard",
            "namespace": "##any",
            "mixed": True,
        },
    )


@dataclass(kw_only=True)
class PgpdataType:
    class Meta:
        name = "PGPDataType"
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    pgpkey_id: None | bytes = field(
        default=None,
        metadata={
            "name": "PGPKeyID",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "format": "base64",
        },
    )
    pgpkey_packet: list[bytes] = field(
        default_factory=list,
        metadata={
            "name": "PGPKeyPacket",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "max_occurs": 2,
            "format": "base64",
        },
    )
    other_element: list[object] = field(
        default_factory=list,
        metadata={
            "type": "Wildcard",
            "namespace": "##other",
        },
    )


@dataclass(kw_only=True)
class RsakeyValueType:
    class Meta:
        name = "RSAKeyValueType"
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    modulus: bytes = field(
        metadata={
            "name": "Modulus",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "format": "base64",
        }
    )
    exponent: bytes = field(
        metadata={
            "name": "Exponent",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "format": "base64",
        }
    )


@dataclass(kw_only=True)
class SpkidataType:
    class Meta:
        name = "SPKIDataType"
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    spkisexp: list[bytes] = field(
        default_factory=list,
        metadata={
            "name": "SPKISexp",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "min_occurs": 1,
            "sequence": 1,
            "format": "base64",
        },
    )
    other_element: list[object] = field(
        default_factory=list,
        metadata={
            "type": "Wildcard",
            "namespace": "##other",
            "sequence": 1,
        },
    )


@dataclass(kw_only=True)
class SignatureMethodType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    algorithm: str = field(
        metadata={
            "name": "Algorithm",
            "type": "Attribute",
        }
    )
    content: list[object] = field(
        default_factory=list,
        metadata={
            "type": "Wildcard",
            "namespace": "##any",
            "mixed": True,
        },
    )


@dataclass(kw_only=True)
class SignaturePropertyType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    target: str = field(
        metadata={
            "name": "Target",
            "type": "Attribute",
        }
    )
    id: None | str = field(
        default=None,
        metadata={
            "name": "Id",
            "type": "Attribute",
        },
    )
    content: list[object] = field(
        default_factory=list,
        metadata={
            "type": "Wildcard",
            "namespace": "##any",
            "mixed": True,
        },
    )


@dataclass(kw_only=True)
class SignatureValueType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    value: bytes = field(
        default=b"",
        metadata={
            "format": "base64",
        },
    )


@dataclass(kw_only=True)
class TransformType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    algorithm: str = field(
        metadata={
            "name": "Algorithm",
            "type": "Attribute",
        }
    )
    content: list[object] = field(
        default_factory=list,
        metadata={
            "type": "Wildcard",
            "namespace": "##any",
            "mixed": True,
            "choices": (
                {
                    "name": "XPath",
                    "type": str,
                    "namespace": "http://www.w3.org/2000/09/xmldsig#",
                },
            ),
        },
    )


@dataclass(kw_only=True)
class X509IssuerSerialType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    x509_issuer_name: str = field(
        metadata={
            "name": "X509IssuerName",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        }
    )
    x509_serial_number: int = field(
        metadata={
            "name": "X509SerialNumber",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        }
    )


@dataclass(kw_only=True)
class Arrival:
    """
    物流运抵单数据实体.
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    arrival_head: ArrivalHead = field(
        metadata={
            "name": "ArrivalHead",
            "type": "Element",
        }
    )
    arrival_list: list[ArrivalList] = field(
        default_factory=list,
        metadata={
            "name": "ArrivalList",
            "type": "Element",
        },
    )


@dataclass(kw_only=True)
class Ceb214Message:
    """
    退货申请单回执.

    :ivar refund_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB214Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    refund_return: list[RefundReturn] = field(
        default_factory=list,
        metadata={
            "name": "RefundReturn",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb216Message:
    """
    理货明细单回执.

    :ivar invt_refund_detail_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB216Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    invt_refund_detail_return: list[InvtRefundDetailReturn] = field(
        default_factory=list,
        metadata={
            "name": "InvtRefundDetailReturn",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb304Message:
    """
    电子订单回执报文.

    :ivar order_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB304Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    order_return: list[OrderReturn] = field(
        default_factory=list,
        metadata={
            "name": "OrderReturn",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb404Message:
    """
    收款单回执报文.

    :ivar receipts_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB404Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    receipts_return: list[ReceiptsReturn] = field(
        default_factory=list,
        metadata={
            "name": "ReceiptsReturn",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb506Message:
    """
    物流运单回执报文.

    :ivar logistics_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB506Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    logistics_return: list[LogisticsReturn] = field(
        default_factory=list,
        metadata={
            "name": "LogisticsReturn",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb508Message:
    """
    物流运抵单回执报文.

    :ivar arrival_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB508Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    arrival_return: list[ArrivalReturn] = field(
        default_factory=list,
        metadata={
            "name": "ArrivalReturn",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb510Message:
    """
    物流离境单回执.

    :ivar departure_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB510Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    departure_return: list[DepartureReturn] = field(
        default_factory=list,
        metadata={
            "name": "DepartureReturn",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb604Message:
    """
    申报清单数据回执.

    :ivar inventory_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB604Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    inventory_return: list[InventoryReturn] = field(
        default_factory=list,
        metadata={
            "name": "InventoryReturn",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb606Message:
    """
    撤销申请单回执.

    :ivar invt_cancel_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB606Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    invt_cancel_return: list[InvtCancelReturn] = field(
        default_factory=list,
        metadata={
            "name": "InvtCancelReturn",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb608Message:
    """
    清单总分单回执.

    :ivar way_bill_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB608Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    way_bill_return: list[WayBillReturn] = field(
        default_factory=list,
        metadata={
            "name": "WayBillReturn",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb702Message:
    """
    汇总申请单回执报文.

    :ivar summary_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB702Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    summary_return: list[SummaryReturn] = field(
        default_factory=list,
        metadata={
            "name": "SummaryReturn",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Departure:
    """
    物流离境单数据.
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    departure_head: DepartureHead = field(
        metadata={
            "name": "DepartureHead",
            "type": "Element",
        }
    )
    departure_list: list[DepartureList] = field(
        default_factory=list,
        metadata={
            "name": "DepartureList",
            "type": "Element",
            "min_occurs": 1,
        },
    )


@dataclass(kw_only=True)
class ExtendMessage:
    """
    扩展自定义数据实体.

    :ivar name: 自定义报文名称
    :ivar version: 自定义报文版本
    :ivar message: 自定义报文实体
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    name: str = field(
        metadata={
            "type": "Element",
            "max_length": 30,
        }
    )
    version: str = field(
        metadata={
            "type": "Element",
            "max_length": 30,
        }
    )
    message: Xmlelement = field(
        metadata={
            "name": "Message",
            "type": "Element",
        }
    )


@dataclass(kw_only=True)
class Inventory:
    """
    出口清单类.
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    inventory_head: InventoryHead = field(
        metadata={
            "name": "InventoryHead",
            "type": "Element",
        }
    )
    inventory_list: list[InventoryList] = field(
        default_factory=list,
        metadata={
            "name": "InventoryList",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )


@dataclass(kw_only=True)
class InvtRefund:
    """
    退货申请单数据实体.

    :ivar invt_refund_head:
    :ivar invt_refund_list: 退货申请单商品表体
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    invt_refund_head: InvtRefundHead = field(
        metadata={
            "name": "InvtRefundHead",
            "type": "Element",
        }
    )
    invt_refund_list: list[InvtRefundList] = field(
        default_factory=list,
        metadata={
            "name": "InvtRefundList",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )


@dataclass(kw_only=True)
class Order:
    """
    电子订单数据实体.
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    order_head: OrderHead = field(
        metadata={
            "name": "OrderHead",
            "type": "Element",
        }
    )
    order_list: list[OrderList] = field(
        default_factory=list,
        metadata={
            "name": "OrderList",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )


@dataclass(kw_only=True)
class SummaryApply:
    """
    汇总申请单数据实体.
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    summary_apply_head: SummaryApplyHead = field(
        metadata={
            "name": "SummaryApplyHead",
            "type": "Element",
        }
    )
    summary_apply_list: list[SummaryApplyList] = field(
        default_factory=list,
        metadata={
            "name": "SummaryApplyList",
            "type": "Element",
        },
    )


@dataclass(kw_only=True)
class SummaryResult:
    """
    汇总结果单数据实体.
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    summary_result_head: SummaryResultHead = field(
        metadata={
            "name": "SummaryResultHead",
            "type": "Element",
        }
    )
    summary_result_list: list[SummaryResultList] = field(
        default_factory=list,
        metadata={
            "name": "SummaryResultList",
            "type": "Element",
        },
    )


@dataclass(kw_only=True)
class WayBill:
    """
    清单总分单.

    :ivar way_bill_head:
    :ivar way_bill_list: 清单总分单项，申请删除时可不填
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    way_bill_head: WayBillHead = field(
        metadata={
            "name": "WayBillHead",
            "type": "Element",
        }
    )
    way_bill_list: list[WayBillList] = field(
        default_factory=list,
        metadata={
            "name": "WayBillList",
            "type": "Element",
            "min_occurs": 1,
        },
    )


@dataclass(kw_only=True)
class CanonicalizationMethod(CanonicalizationMethodType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class DsakeyValue(DsakeyValueType):
    class Meta:
        name = "DSAKeyValue"
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class DigestMethod(DigestMethodType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class Object(ObjectType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class Pgpdata(PgpdataType):
    class Meta:
        name = "PGPData"
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class RsakeyValue(RsakeyValueType):
    class Meta:
        name = "RSAKeyValue"
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class Spkidata(SpkidataType):
    class Meta:
        name = "SPKIData"
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class SignatureMethod(SignatureMethodType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class SignatureProperty(SignaturePropertyType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class SignatureValue(SignatureValueType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class Transform(TransformType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class X509DataType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    x509_issuer_serial: list[X509IssuerSerialType] = field(
        default_factory=list,
        metadata={
            "name": "X509IssuerSerial",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "sequence": 1,
        },
    )
    x509_ski: list[bytes] = field(
        default_factory=list,
        metadata={
            "name": "X509SKI",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "sequence": 1,
            "format": "base64",
        },
    )
    x509_subject_name: list[str] = field(
        default_factory=list,
        metadata={
            "name": "X509SubjectName",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "sequence": 1,
        },
    )
    x509_certificate: list[bytes] = field(
        default_factory=list,
        metadata={
            "name": "X509Certificate",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "sequence": 1,
            "format": "base64",
        },
    )
    x509_crl: list[bytes] = field(
        default_factory=list,
        metadata={
            "name": "X509CRL",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "sequence": 1,
            "format": "base64",
        },
    )
    other_element: list[object] = field(
        default_factory=list,
        metadata={
            "type": "Wildcard",
            "namespace": "##other",
            "sequence": 1,
        },
    )


@dataclass(kw_only=True)
class Ceb792Message:
    """
    汇总结果单数据报文.

    :ivar summary_result:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB792Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    summary_result: list[SummaryResult] = field(
        default_factory=list,
        metadata={
            "name": "SummaryResult",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class KeyValueType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    content: list[object] = field(
        default_factory=list,
        metadata={
            "type": "Wildcard",
            "namespace": "##any",
            "mixed": True,
            "choices": (
                {
                    "name": "DSAKeyValue",
                    "type": DsakeyValue,
                    "namespace": "http://www.w3.org/2000/09/xmldsig#",
                },
                {
                    "name": "RSAKeyValue",
                    "type": RsakeyValue,
                    "namespace": "http://www.w3.org/2000/09/xmldsig#",
                },
            ),
        },
    )


@dataclass(kw_only=True)
class SignaturePropertiesType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    signature_property: list[SignatureProperty] = field(
        default_factory=list,
        metadata={
            "name": "SignatureProperty",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "min_occurs": 1,
        },
    )
    id: None | str = field(
        default=None,
        metadata={
            "name": "Id",
            "type": "Attribute",
        },
    )


@dataclass(kw_only=True)
class TransformsType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    transform: list[Transform] = field(
        default_factory=list,
        metadata={
            "name": "Transform",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "min_occurs": 1,
        },
    )


@dataclass(kw_only=True)
class X509Data(X509DataType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class KeyValue(KeyValueType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class SignatureProperties(SignaturePropertiesType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class Transforms(TransformsType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class ReferenceType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    transforms: None | Transforms = field(
        default=None,
        metadata={
            "name": "Transforms",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        },
    )
    digest_method: DigestMethod = field(
        metadata={
            "name": "DigestMethod",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        }
    )
    digest_value: DigestValue = field(
        metadata={
            "name": "DigestValue",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        }
    )
    id: None | str = field(
        default=None,
        metadata={
            "name": "Id",
            "type": "Attribute",
        },
    )
    uri: None | str = field(
        default=None,
        metadata={
            "name": "URI",
            "type": "Attribute",
        },
    )
    type_value: None | str = field(
        default=None,
        metadata={
            "name": "Type",
            "type": "Attribute",
        },
    )


@dataclass(kw_only=True)
class RetrievalMethodType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    transforms: None | Transforms = field(
        default=None,
        metadata={
            "name": "Transforms",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        },
    )
    uri: None | str = field(
        default=None,
        metadata={
            "name": "URI",
            "type": "Attribute",
        },
    )
    type_value: None | str = field(
        default=None,
        metadata={
            "name": "Type",
            "type": "Attribute",
        },
    )


@dataclass(kw_only=True)
class Reference(ReferenceType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class RetrievalMethod(RetrievalMethodType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class KeyInfoType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    content: list[object] = field(
        default_factory=list,
        metadata={
            "type": "Wildcard",
            "namespace": "##any",
            "mixed": True,
            "choices": (
                {
                    "name": "KeyName",
                    "type": KeyName,
                    "namespace": "http://www.w3.org/2000/09/xmldsig#",
                },
                {
                    "name": "KeyValue",
                    "type": KeyValue,
                    "namespace": "http://www.w3.org/2000/09/xmldsig#",
                },
                {
                    "name": "RetrievalMethod",
                    "type": RetrievalMethod,
                    "namespace": "http://www.w3.org/2000/09/xmldsig#",
                },
                {
                    "name": "X509Data",
                    "type": X509Data,
                    "namespace": "http://www.w3.org/2000/09/xmldsig#",
                },
                {
                    "name": "PGPData",
                    "type": Pgpdata,
                    "namespace": "http://www.w3.org/2000/09/xmldsig#",
                },
                {
                    "name": "SPKIData",
                    "type": Spkidata,
                    "namespace": "http://www.w3.org/2000/09/xmldsig#",
                },
                {
                    "name": "MgmtData",
                    "type": MgmtData,
                    "namespace": "http://www.w3.org/2000/09/xmldsig#",
                },
            ),
        },
    )


@dataclass(kw_only=True)
class ManifestType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    reference: list[Reference] = field(
        default_factory=list,
        metadata={
            "name": "Reference",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "min_occurs": 1,
        },
    )
    id: None | str = field(
        default=None,
        metadata={
            "name": "Id",
            "type": "Attribute",
        },
    )


@dataclass(kw_only=True)
class SignedInfoType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    canonicalization_method: CanonicalizationMethod = field(
        metadata={
            "name": "CanonicalizationMethod",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        }
    )
    signature_method: SignatureMethod = field(
        metadata={
            "name": "SignatureMethod",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        }
    )
    reference: list[Reference] = field(
        default_factory=list,
        metadata={
            "name": "Reference",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
            "min_occurs": 1,
        },
    )


@dataclass(kw_only=True)
class KeyInfo(KeyInfoType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class Manifest(ManifestType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class SignedInfo(SignedInfoType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class SignatureType:
    class Meta:
        target_namespace = "http://www.w3.org/2000/09/xmldsig#"

    signed_info: SignedInfo = field(
        metadata={
            "name": "SignedInfo",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        }
    )
    signature_value: SignatureValue = field(
        metadata={
            "name": "SignatureValue",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        }
    )
    key_info: None | KeyInfo = field(
        default=None,
        metadata={
            "name": "KeyInfo",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        },
    )
    id: None | str = field(
        default=None,
        metadata={
            "name": "Id",
            "type": "Attribute",
        },
    )


@dataclass(kw_only=True)
class Signature(SignatureType):
    class Meta:
        namespace = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(kw_only=True)
class Ceb213Message:
    """
    退货申请单数据报文（电商企业）.

    :ivar invt_refund:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar signature:
    :ivar extend_message:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB213Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    invt_refund: list[InvtRefund] = field(
        default_factory=list,
        metadata={
            "name": "InvtRefund",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    base_transfer: BaseTransfer = field(
        metadata={
            "name": "BaseTransfer",
            "type": "Element",
        }
    )
    base_subscribe: list[BaseSubscribe] = field(
        default_factory=list,
        metadata={
            "name": "BaseSubscribe",
            "type": "Element",
            "max_occurs": 5,
        },
    )
    signature: None | Signature = field(
        default=None,
        metadata={
            "name": "Signature",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        },
    )
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb215Message:
    """
    理货明细单（运抵）数据报文.

    :ivar invt_refund_detail:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar signature:
    :ivar extend_message:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB215Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    invt_refund_detail: list[InvtRefundDetail] = field(
        default_factory=list,
        metadata={
            "name": "InvtRefundDetail",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    base_transfer: BaseTransfer = field(
        metadata={
            "name": "BaseTransfer",
            "type": "Element",
        }
    )
    base_subscribe: list[BaseSubscribe] = field(
        default_factory=list,
        metadata={
            "name": "BaseSubscribe",
            "type": "Element",
            "max_occurs": 5,
        },
    )
    signature: None | Signature = field(
        default=None,
        metadata={
            "name": "Signature",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        },
    )
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb303Message:
    """
    电子订单数据报文（电商平台）.

    :ivar order:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar signature:
    :ivar extend_message:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB303Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    order: list[Order] = field(
        default_factory=list,
        metadata={
            "name": "Order",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    base_transfer: BaseTransfer = field(
        metadata={
            "name": "BaseTransfer",
            "type": "Element",
        }
    )
    base_subscribe: list[BaseSubscribe] = field(
        default_factory=list,
        metadata={
            "name": "BaseSubscribe",
            "type": "Element",
            "max_occurs": 5,
        },
    )
    signature: None | Signature = field(
        default=None,
        metadata={
            "name": "Signature",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        },
    )
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb403Message:
    """
    收款单数据报文（支付企业）.

    :ivar receipts:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar signature:
    :ivar extend_message:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB403Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    receipts: list[Receipts] = field(
        default_factory=list,
        metadata={
            "name": "Receipts",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    base_transfer: BaseTransfer = field(
        metadata={
            "name": "BaseTransfer",
            "type": "Element",
        }
    )
    base_subscribe: list[BaseSubscribe] = field(
        default_factory=list,
        metadata={
            "name": "BaseSubscribe",
            "type": "Element",
            "max_occurs": 5,
        },
    )
    signature: None | Signature = field(
        default=None,
        metadata={
            "name": "Signature",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        },
    )
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb505Message:
    """
    物流运单数据报文（物流企业）.

    :ivar logistics:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar signature:
    :ivar extend_message:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB505Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    logistics: list[Logistics] = field(
        default_factory=list,
        metadata={
            "name": "Logistics",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    base_transfer: BaseTransfer = field(
        metadata={
            "name": "BaseTransfer",
            "type": "Element",
        }
    )
    base_subscribe: list[BaseSubscribe] = field(
        default_factory=list,
        metadata={
            "name": "BaseSubscribe",
            "type": "Element",
            "max_occurs": 5,
        },
    )
    signature: None | Signature = field(
        default=None,
        metadata={
            "name": "Signature",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        },
    )
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb507Message:
    """
    物流运抵地数据报文（物流企业）.

    :ivar arrival:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar signature:
    :ivar extend_message:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB507Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    arrival: list[Arrival] = field(
        default_factory=list,
        metadata={
            "name": "Arrival",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    base_transfer: BaseTransfer = field(
        metadata={
            "name": "BaseTransfer",
            "type": "Element",
        }
    )
    base_subscribe: list[BaseSubscribe] = field(
        default_factory=list,
        metadata={
            "name": "BaseSubscribe",
            "type": "Element",
            "max_occurs": 5,
        },
    )
    signature: None | Signature = field(
        default=None,
        metadata={
            "name": "Signature",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        },
    )
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb509Message:
    """
    物流离境单数据.

    :ivar departure:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar signature:
    :ivar extend_message:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB509Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    departure: list[Departure] = field(
        default_factory=list,
        metadata={
            "name": "Departure",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    base_transfer: BaseTransfer = field(
        metadata={
            "name": "BaseTransfer",
            "type": "Element",
        }
    )
    base_subscribe: list[BaseSubscribe] = field(
        default_factory=list,
        metadata={
            "name": "BaseSubscribe",
            "type": "Element",
            "max_occurs": 5,
        },
    )
    signature: None | Signature = field(
        default=None,
        metadata={
            "name": "Signature",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        },
    )
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb603Message:
    """
    申报清单数据.

    :ivar inventory:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar signature:
    :ivar extend_message:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB603Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    inventory: list[Inventory] = field(
        default_factory=list,
        metadata={
            "name": "Inventory",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    base_transfer: BaseTransfer = field(
        metadata={
            "name": "BaseTransfer",
            "type": "Element",
        }
    )
    base_subscribe: list[BaseSubscribe] = field(
        default_factory=list,
        metadata={
            "name": "BaseSubscribe",
            "type": "Element",
            "max_occurs": 5,
        },
    )
    signature: None | Signature = field(
        default=None,
        metadata={
            "name": "Signature",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        },
    )
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb605Message:
    """
    撤销申请单数据.

    :ivar invt_cancel:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar signature:
    :ivar extend_message:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB605Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    invt_cancel: list[InvtCancel] = field(
        default_factory=list,
        metadata={
            "name": "InvtCancel",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    base_transfer: BaseTransfer = field(
        metadata={
            "name": "BaseTransfer",
            "type": "Element",
        }
    )
    base_subscribe: list[BaseSubscribe] = field(
        default_factory=list,
        metadata={
            "name": "BaseSubscribe",
            "type": "Element",
            "max_occurs": 5,
        },
    )
    signature: None | Signature = field(
        default=None,
        metadata={
            "name": "Signature",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        },
    )
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb607Message:
    """
    清单总分单数据.

    :ivar way_bill:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar signature:
    :ivar extend_message:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB607Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    way_bill: list[WayBill] = field(
        default_factory=list,
        metadata={
            "name": "WayBill",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    base_transfer: BaseTransfer = field(
        metadata={
            "name": "BaseTransfer",
            "type": "Element",
        }
    )
    base_subscribe: list[BaseSubscribe] = field(
        default_factory=list,
        metadata={
            "name": "BaseSubscribe",
            "type": "Element",
            "max_occurs": 5,
        },
    )
    signature: None | Signature = field(
        default=None,
        metadata={
            "name": "Signature",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        },
    )
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )


@dataclass(kw_only=True)
class Ceb701Message:
    """
    汇总申请单数据报文.

    :ivar summary_apply:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar signature:
    :ivar extend_message:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB701Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    summary_apply: list[SummaryApply] = field(
        default_factory=list,
        metadata={
            "name": "SummaryApply",
            "type": "Element",
            "min_occurs": 1,
            "max_occurs": 100,
        },
    )
    base_transfer: BaseTransfer = field(
        metadata={
            "name": "BaseTransfer",
            "type": "Element",
        }
    )
    base_subscribe: list[BaseSubscribe] = field(
        default_factory=list,
        metadata={
            "name": "BaseSubscribe",
            "type": "Element",
            "max_occurs": 5,
        },
    )
    signature: None | Signature = field(
        default=None,
        metadata={
            "name": "Signature",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        },
    )
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
        },
    )
    guid: str = field(
        metadata={
            "type": "Attribute",
            "length": 36,
        }
    )
    version: str = field(
        metadata={
            "type": "Attribute",
            "min_length": 1,
            "max_length": 10,
        }
    )
