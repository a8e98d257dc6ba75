from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


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
            "min_length": 1,
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
class DeliveryHead:
    """
    入库明细单表头实体.

    :ivar guid: 企业系统生成36位唯一序号（英文字母大写）
    :ivar app_type: 企业报送类型。1-新增 2-变更 3-删除。默认为1。
    :ivar app_time: 企业报送时间。格式:YYYYMMDDhhmmss。mss
    :ivar app_status: 业务状态:1-暂存,2-申报,默认为1。
    :ivar customs_code: 接受申报的海关关区代码，参照JGS/T 18《海关关区代码》。
    :ivar cop_no: 企业内部标识单证的编号
    :ivar pre_no: 电子口岸标识单证的编号
    :ivar rkd_no: 海关接受申报生成的入库单编号
    :ivar operator_code: 监管场所经营人在海关注册登记的编号
    :ivar operator_name: 监管场所经营人在海关注册登记的名称
    :ivar ie_flag: I进口/E出口
    :ivar traf_mode: 填写海关标准的参数代码，参照《JGS-20 海关业务代码集》-
        运输方式代码。直购进口指跨境段物流运输方式。
    :ivar traf_no:
        货物进出境的运输工具的名称或运输工具编号。填报内容应与运输部门向海关申报的载货清单所列相应内容一致；同报关单填制规范。
    :ivar voyage_no: 货物进出境的运输工具的航次编号。
    :ivar bill_no: 货物提单或运单的海运提单、空运总单或汽车载货清单
    :ivar logistics_code: 物流企业的海关注册登记编号
    :ivar logistics_name: 物流企业的海关注册登记名称
    :ivar unload_location: 货物卸货的仓储存放位置
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
            "min_length": 1,
            "max_length": 3,
        }
    )
    customs_code: str = field(
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        }
    )
    cop_no: None | str = field(
        default=None,
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 20,
        },
    )
    pre_no: None | str = field(
        default=None,
        metadata={
            "name": "preNo",
            "type": "Element",
            "max_length": 18,
        },
    )
    rkd_no: None | str = field(
        default=None,
        metadata={
            "name": "rkdNo",
            "type": "Element",
            "max_length": 18,
        },
    )
    operator_code: str = field(
        metadata={
            "name": "operatorCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    operator_name: str = field(
        metadata={
            "name": "operatorName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
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
    traf_no: str = field(
        metadata={
            "name": "trafNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    voyage_no: str = field(
        metadata={
            "name": "voyageNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 32,
        }
    )
    bill_no: str = field(
        metadata={
            "name": "billNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 37,
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    logistics_name: str = field(
        metadata={
            "name": "logisticsName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    unload_location: None | str = field(
        default=None,
        metadata={
            "name": "unloadLocation",
            "type": "Element",
            "max_length": 100,
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
class DeliveryList:
    """
    入库明细单表体实体.

    :ivar gnum: 从1开始的递增序号
    :ivar logistics_no: 物流企业的运单包裹面单号。同一物流企业的运单编号在6个月内不重复。运单编号长度不能超过60位。
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    gnum: int = field(
        metadata={
            "type": "Element",
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
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
class DeliveryReturn:
    """
    入库明细单回执实体.

    :ivar guid: 电子口岸生成36位唯一序号（英文字母大写）
    :ivar customs_code: 主管海关
    :ivar operator_code: 监管场所经营人代码 监管场所经营人作为第三方对入场所的大包开拆核实包裹（兼容考虑，暂设为选填）
    :ivar cop_no: 企业内部标识单证的编号
    :ivar pre_no: 电子口岸标识单证的编号
    :ivar rkd_no: 海关审核生成的入库单编号
    :ivar return_status:
        操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/120海关入库/399海关审结）,若小于0数字表示处理异常回执
    :ivar return_time: 操作时间(格式:YYYYMMDDhhmmssSSS)
    :ivar return_info: 备注（如不通过原因）
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    customs_code: None | str = field(
        default=None,
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        },
    )
    operator_code: None | str = field(
        default=None,
        metadata={
            "name": "operatorCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        },
    )
    cop_no: None | str = field(
        default=None,
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 20,
        },
    )
    pre_no: None | str = field(
        default=None,
        metadata={
            "name": "preNo",
            "type": "Element",
            "max_length": 18,
        },
    )
    rkd_no: None | str = field(
        default=None,
        metadata={
            "name": "rkdNo",
            "type": "Element",
            "max_length": 18,
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
            "min_length": 1,
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class InventoryHead:
    """
    进口清单表头实体.

    :ivar guid: 企业系统生成36位唯一序号（英文字母大写）。
    :ivar app_type: 企业报送类型。1-新增 2-变更 3-删除。默认为1。
    :ivar app_time: 企业报送时间。格式:YYYYMMDDhhmmss。mss
    :ivar app_status: 业务状态:1-暂存,2-申报,默认为1。填写2时,Signature节点必须填写.
    :ivar order_no: 交易平台的订单编号，同一交易平台的订单编号应唯一。订单编号长度不能超过60位。
    :ivar ebp_code:
        电商平台的海关注册登记编号；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台标识编号为准。
    :ivar ebp_name:
        电商平台的海关注册登记名称；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台名称为准。
    :ivar ebc_code: 电商企业的海关注册登记编号。
    :ivar ebc_name: 电商企业的海关注册登记名称。
    :ivar logistics_no: 物流企业的运单包裹面单号。同一物流企业的运单编号在6个月内不重复。运单编号长度不能超过60位。
    :ivar logistics_code: 物流企业的海关注册登记编号。
    :ivar logistics_name: 物流企业在海关注册登记的名称。
    :ivar cop_no: 企业内部标识单证的编号。
    :ivar pre_no: 电子口岸标识单证的编号。
    :ivar assure_code: 担保扣税的企业海关注册登记编号，只限清单的申报企业、电商企业物流企业。
    :ivar ems_no: 保税模式必填，填写区内仓储企业在海关备案的账册编号，用于保税进口业务在特殊区域辅助系统记账（二线出区核减）。
    :ivar invt_no: 海关接受申报生成的清单编号。
    :ivar ie_flag: I-进口,E-出口
    :ivar decl_time: 申报日期，以海关计算机系统接受清单申报数据时记录的日期为准。格式:YYYYMMDD。
    :ivar customs_code: 接受清单申报的海关关区代码，参照JGS/T 18《海关关区代码》。
    :ivar port_code: 商品实际进出我国关境口岸海关的关区代码，参照JGS/T 18《海关关区代码》。
    :ivar ie_date:
        运载所申报商品的运输工具申报进境的日期，进口申报时无法确知相应的运输工具的实际进境日期时，免填。格式:YYYYMMDD
    :ivar buyer_id_type: 1-身份证,2-其它。限定为身份证，填写“1”。
    :ivar buyer_id_number: 订购人的身份证件号码。
    :ivar buyer_name: 订购人的真实姓名。
    :ivar buyer_telephone: 订购人电话。
    :ivar consignee_address: 收件地址。
    :ivar agent_code: 申报单位的海关注册登记编号。
    :ivar agent_name: 申报单位在海关注册登记的名称。
    :ivar area_code: 保税模式必填，区内仓储企业的海关注册登记编号。
    :ivar area_name: 保税模式必填，区内仓储企业在海关注册登记的名称。
    :ivar trade_mode: 直购进口填写“9610”，保税进口填写“1210”。
    :ivar traf_mode: 填写海关标准的参数代码，参照《JGS-20 海关业务代码集》-
        运输方式代码。直购进口指跨境段物流运输方式，保税进口指二线出区物流运输方式。
    :ivar traf_no:
        直购进口必填。货物进出境的运输工具的名称或运输工具编号。填报内容应与运输部门向海关申报的载货清单所列相应内容一致；同报关单填制规范。保税进口免填。
    :ivar voyage_no: 直购进口必填。货物进出境的运输工具的航次编号。保税进口免填。
    :ivar bill_no: 直购进口必填。货物提单或运单的编号，保税进口免填。
    :ivar loct_no: 针对同一申报地海关下有多个跨境电子商务的监管场所,需要填写区分
    :ivar license_no: 商务主管部门及其授权发证机关签发的进出口货物许可证件的编号
    :ivar country: 直购进口填写起始发出国家（地区）代码，参照《JGS-20
        海关业务代码集》的国家（地区）代码表；保税进口填写代码“142”。
    :ivar freight: 物流企业实际收取的运输费用。
    :ivar insured_fee: 物流企业实际收取的商品保价费用。
    :ivar currency: 限定为人民币，填写“142”。
    :ivar wrap_type: 海关对进出口货物实际采用的外部包装方式的标识代码，采用1
        位数字表示，如：木箱、纸箱、桶装、散装、托盘、包、油罐车等
    :ivar pack_no: 件数为包裹数量，限定为“1”。
    :ivar gross_weight: 货物及其包装材料的重量之和，计量单位为千克。
    :ivar net_weight: 货物的毛重减去外包装材料后的重量，即货物本身的实际重量，计量单位为千克。
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
            "min_length": 1,
            "max_length": 3,
        }
    )
    order_no: str = field(
        metadata={
            "name": "orderNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    ebp_code: str = field(
        metadata={
            "name": "ebpCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    ebp_name: str = field(
        metadata={
            "name": "ebpName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    ebc_name: str = field(
        metadata={
            "name": "ebcName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    logistics_name: str = field(
        metadata={
            "name": "logisticsName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    cop_no: None | str = field(
        default=None,
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 20,
        },
    )
    pre_no: None | str = field(
        default=None,
        metadata={
            "name": "preNo",
            "type": "Element",
            "max_length": 18,
        },
    )
    assure_code: str = field(
        metadata={
            "name": "assureCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 30,
        }
    )
    ems_no: None | str = field(
        default=None,
        metadata={
            "name": "emsNo",
            "type": "Element",
            "max_length": 30,
        },
    )
    invt_no: None | str = field(
        default=None,
        metadata={
            "name": "invtNo",
            "type": "Element",
            "max_length": 18,
        },
    )
    ie_flag: str = field(
        metadata={
            "name": "ieFlag",
            "type": "Element",
            "length": 1,
        }
    )
    decl_time: str = field(
        metadata={
            "name": "declTime",
            "type": "Element",
            "length": 8,
        }
    )
    customs_code: str = field(
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        }
    )
    port_code: str = field(
        metadata={
            "name": "portCode",
            "type": "Element",
            "length": 4,
        }
    )
    ie_date: None | str = field(
        default=None,
        metadata={
            "name": "ieDate",
            "type": "Element",
            "length": 8,
        },
    )
    buyer_id_type: str = field(
        metadata={
            "name": "buyerIdType",
            "type": "Element",
            "length": 1,
        }
    )
    buyer_id_number: str = field(
        metadata={
            "name": "buyerIdNumber",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    buyer_name: str = field(
        metadata={
            "name": "buyerName",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    buyer_telephone: str = field(
        metadata={
            "name": "buyerTelephone",
            "type": "Element",
            "min_length": 1,
            "max_length": 30,
        }
    )
    consignee_address: str = field(
        metadata={
            "name": "consigneeAddress",
            "type": "Element",
            "min_length": 1,
            "max_length": 200,
        }
    )
    agent_code: str = field(
        metadata={
            "name": "agentCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    agent_name: str = field(
        metadata={
            "name": "agentName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    area_code: None | str = field(
        default=None,
        metadata={
            "name": "areaCode",
            "type": "Element",
            "max_length": 18,
        },
    )
    area_name: None | str = field(
        default=None,
        metadata={
            "name": "areaName",
            "type": "Element",
            "max_length": 100,
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
        }
    )
    traf_no: None | str = field(
        default=None,
        metadata={
            "name": "trafNo",
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
        init=False,
        default="142",
        metadata={
            "type": "Element",
            "length": 3,
        },
    )
    wrap_type: None | str = field(
        default=None,
        metadata={
            "name": "wrapType",
            "type": "Element",
            "length": 1,
        },
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
    进口清单表体实体.

    :ivar gnum: 从1开始连续序号，与关联的电子订单表体序号一一对应。
    :ivar item_record_no: 账册备案料号 保税模式必填
    :ivar item_no: 电商企业自定义的商品货号（SKU）。
    :ivar item_name: 交易平台销售商品的中文名称。
    :ivar gcode:
        按商品分类编码规则确定的进出口商品的商品编号，分为商品编号和附加编号，其中商品编号栏应填报《中华人民共和国进出口税则》8位税则号列，附加编号应填报商品编号，附加编号第9、10位。
    :ivar gname: 商品名称应据实填报，与电子订单一致。
    :ivar gmodel: 满足海关归类、审价以及监管的要求为准。包括：品名、牌名、规格、型号、成份、含量、等级等。
    :ivar bar_code: 商品条码一般由前缀部分、制造厂商代码、商品代码和校验码组成。没有条码填“无”
    :ivar country: 原产国（地区），海关标准的参数代码  《JGS-20 海关业务代码集》 国家（地区）代码表填写代码。
    :ivar trade_country: 贸易国，按海关规定的《国别（地区）代码表》选择填报相应的贸易国（地区）代码。
    :ivar currency: 限定为人民币，填写“142”。
    :ivar qty: 数量，按成交计量单位的实际数量
    :ivar unit: 计量单位，海关标准的参数代码  《JGS-20 海关业务代码集》- 计量单位代码
    :ivar qty1: 法定数量，海关标准的参数代码  《JGS-20 海关业务代码集》- 计量单位代码
    :ivar unit1: 法定i计量单位,海关标准的参数代码  《JGS-20 海关业务代码集》- 计量单位代码
    :ivar qty2: 第二数量
    :ivar unit2: 第二计量单位,海关标准的参数代码  《JGS-20 海关业务代码集》- 计量单位代码
    :ivar price: 成交单价
    :ivar total_price: 成交总价
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    gnum: int = field(
        metadata={
            "type": "Element",
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
    item_no: None | str = field(
        default=None,
        metadata={
            "name": "itemNo",
            "type": "Element",
            "max_length": 20,
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
            "min_length": 1,
            "max_length": 250,
        }
    )
    gmodel: str = field(
        metadata={
            "type": "Element",
            "min_length": 1,
            "max_length": 510,
        }
    )
    bar_code: None | str = field(
        default=None,
        metadata={
            "name": "barCode",
            "type": "Element",
            "max_length": 50,
        },
    )
    country: str = field(
        metadata={
            "type": "Element",
            "length": 3,
        }
    )
    trade_country: None | str = field(
        default=None,
        metadata={
            "name": "tradeCountry",
            "type": "Element",
            "min_length": 1,
            "max_length": 3,
        },
    )
    currency: str = field(
        init=False,
        default="142",
        metadata={
            "type": "Element",
            "length": 3,
        },
    )
    qty: Decimal = field(
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
    qty1: Decimal = field(
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
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
    进口清单回执实体.

    :ivar guid: 电子口岸生成36位唯一序号（英文字母大写）
    :ivar customs_code: 申报口岸
    :ivar ebp_code:
        电商平台的海关注册登记编号；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台标识编号为准。
    :ivar ebc_code:
        电商平台的海关注册登记编号；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台标识编号为准。
    :ivar agent_code: 申报单位代码,10位海关代码或者18位信用代码(兼容考虑，暂设为选填)
    :ivar cop_no: 企业内部标识单证的编号
    :ivar pre_no: 电子口岸标识单证的编号
    :ivar invt_no: 海关审核反馈清单的编号
    :ivar return_status:
        操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/120海关入库/300人工审核/399海关审结/800放行/899结关/500查验/501扣留移送通关/502扣留移送缉私/503扣留移送法规/599其它扣留/700退运）,若小于0数字表示处理异常回执
    :ivar return_time: 操作时间(格式:YYYYMMDDhhmmssSSS)
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
    customs_code: None | str = field(
        default=None,
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        },
    )
    ebp_code: None | str = field(
        default=None,
        metadata={
            "name": "ebpCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        },
    )
    ebc_code: None | str = field(
        default=None,
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        },
    )
    agent_code: None | str = field(
        default=None,
        metadata={
            "name": "agentCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        },
    )
    cop_no: str = field(
        metadata={
            "name": "copNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 20,
        }
    )
    pre_no: str = field(
        metadata={
            "name": "preNo",
            "type": "Element",
            "length": 18,
        }
    )
    invt_no: None | str = field(
        default=None,
        metadata={
            "name": "invtNo",
            "type": "Element",
            "length": 18,
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
            "min_length": 1,
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class InvtCancel:
    """
    撤销申请单实体.

    :ivar guid: 企业系统生成36位唯一序号（英文字母大写）
    :ivar app_type: 企业报送类型。1-新增。默认为1。
    :ivar app_time: 企业报送时间。格式:YYYYMMDDhhmmss。mss
    :ivar app_status: 业务状态:1-暂存,2-申报,默认为1。填写2时,Signature节点必须填写.
    :ivar customs_code: 接受申报的海关关区代码，参照JGS/T 18《海关关区代码》。
    :ivar order_no: 交易平台的订单编号，同一交易平台的订单编号应唯一。订单编号长度不能超过60位。
    :ivar ebp_code:
        电商平台的海关注册登记编号；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台标识编号为准。
    :ivar ebp_name:
        电商平台的海关注册登记名称；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台名称为准。
    :ivar ebc_code: 电商企业的海关注册登记编号。
    :ivar ebc_name: 电商企业的海关注册登记名称。
    :ivar logistics_no: 物流企业的运单包裹面单号。同一物流企业的运单编号在6个月内不重复。运单编号长度不能超过60位。
    :ivar logistics_code: 物流企业的海关注册登记编号。
    :ivar logistics_name: 物流企业在海关注册登记的名称。
    :ivar cop_no: 企业内部标识单证的编号
    :ivar pre_no: 电子口岸标识单证的编号
    :ivar invt_no: 申请撤销的原始清单编号。
    :ivar buyer_id_type: 1-身份证,2-其它。限定为身份证，填写“1”。
    :ivar buyer_id_number: 订购人的身份证件号码。
    :ivar buyer_name: 订购人的真实姓名。
    :ivar buyer_telephone: 订购人电话
    :ivar agent_code: 申报单位的海关注册登记编号。
    :ivar agent_name: 申报单位在海关注册登记的名称。
    :ivar reason: 撤单原因
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
            "min_length": 1,
            "max_length": 3,
        }
    )
    customs_code: str = field(
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        }
    )
    order_no: str = field(
        metadata={
            "name": "orderNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    ebp_code: str = field(
        metadata={
            "name": "ebpCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    ebp_name: str = field(
        metadata={
            "name": "ebpName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    ebc_name: str = field(
        metadata={
            "name": "ebcName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    logistics_name: str = field(
        metadata={
            "name": "logisticsName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    cop_no: None | str = field(
        default=None,
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 20,
        },
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
            "min_length": 1,
            "max_length": 18,
        }
    )
    buyer_id_type: str = field(
        metadata={
            "name": "buyerIdType",
            "type": "Element",
            "length": 1,
        }
    )
    buyer_id_number: str = field(
        metadata={
            "name": "buyerIdNumber",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    buyer_name: str = field(
        metadata={
            "name": "buyerName",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    buyer_telephone: str = field(
        metadata={
            "name": "buyerTelephone",
            "type": "Element",
            "min_length": 1,
            "max_length": 30,
        }
    )
    agent_code: str = field(
        metadata={
            "name": "agentCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    agent_name: str = field(
        metadata={
            "name": "agentName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    reason: str = field(
        metadata={
            "type": "Element",
            "min_length": 1,
            "max_length": 1000,
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
    撤销申请单回执实体.

    :ivar guid: 电子口岸生成36位唯一序号（英文字母大写）
    :ivar customs_code: 申报口岸
    :ivar agent_code: 申报单位代码,10位海关代码或者18位信用代码（兼容考虑，暂设为选填）
    :ivar ebp_code: 电商平台代码,10位海关代码或者18位信用代码(兼容考虑，暂设为选填)
    :ivar ebc_code: 电商企业代码,10位海关代码或者18位信用代码(兼容考虑，暂设为选填)
    :ivar cop_no: 企业内部标识单证的编号
    :ivar pre_no: 电子口岸标识单证的编号
    :ivar invt_no: 申请撤销的原始清单编号
    :ivar return_status:
        操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/120海关入库/399海关审结）,若小于0数字表示处理异常回执
    :ivar return_time: 操作时间(格式:YYYYMMDDhhmmssSSS)
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
    customs_code: None | str = field(
        default=None,
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        },
    )
    agent_code: None | str = field(
        default=None,
        metadata={
            "name": "agentCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        },
    )
    ebp_code: None | str = field(
        default=None,
        metadata={
            "name": "ebpCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        },
    )
    ebc_code: None | str = field(
        default=None,
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        },
    )
    cop_no: str = field(
        metadata={
            "name": "copNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 20,
        }
    )
    pre_no: str = field(
        metadata={
            "name": "preNo",
            "type": "Element",
            "length": 18,
        }
    )
    invt_no: None | str = field(
        default=None,
        metadata={
            "name": "invtNo",
            "type": "Element",
            "length": 18,
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
            "min_length": 1,
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class InvtRefundHead:
    """
    退货申请单表头实体.

    :ivar guid: 企业系统生成36位唯一序号（英文字母大写）
    :ivar app_type: 企业报送类型。1-新增 2-变更 3-删除。默认为1。
    :ivar app_time: 企业报送时间。格式:YYYYMMDDhhmmss。mss
    :ivar app_status: 业务状态:1-暂存,2-申报,默认为1。填写2时,Signature节点必须填写.
    :ivar customs_code: 接受申报的海关关区代码，参照JGS/T 18《海关关区代码》。
    :ivar order_no: 交易平台的订单编号，同一交易平台的订单编号应唯一。订单编号长度不能超过60位。
    :ivar ebp_code:
        电商平台的海关注册登记编号；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台标识编号为准。
    :ivar ebp_name:
        电商平台的海关注册登记名称；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台名称为准。
    :ivar ebc_code: 电商企业的海关注册登记编号。
    :ivar ebc_name: 电商企业的海关注册登记名称。
    :ivar logistics_no: 物流企业的运单包裹面单号。同一物流企业的运单编号在6个月内不重复。运单编号长度不能超过60位。
    :ivar logistics_code: 物流企业的海关注册登记编号。
    :ivar logistics_name: 物流企业在海关注册登记的名称。
    :ivar cop_no: 企业内部标识单证的编号。
    :ivar pre_no: 电子口岸标识单证的编号。
    :ivar invt_no: 申请退货的原始清单编号。
    :ivar buyer_id_type: 订购人证件类型
    :ivar buyer_id_number: 订购人证件号码
    :ivar buyer_name: 订购人姓名
    :ivar buyer_telephone: 订购人电话
    :ivar agent_code: 申报单位的海关注册登记编号。
    :ivar agent_name: 申报单位在海关注册登记的名称。
    :ivar reason: 退货原因
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
            "min_length": 1,
            "max_length": 3,
        }
    )
    customs_code: str = field(
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        }
    )
    order_no: str = field(
        metadata={
            "name": "orderNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    ebp_code: str = field(
        metadata={
            "name": "ebpCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    ebp_name: str = field(
        metadata={
            "name": "ebpName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    ebc_name: str = field(
        metadata={
            "name": "ebcName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    logistics_name: str = field(
        metadata={
            "name": "logisticsName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    cop_no: None | str = field(
        default=None,
        metadata={
            "name": "copNo",
            "type": "Element",
            "max_length": 20,
        },
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
            "min_length": 1,
            "max_length": 18,
        }
    )
    buyer_id_type: str = field(
        metadata={
            "name": "buyerIdType",
            "type": "Element",
            "length": 1,
        }
    )
    buyer_id_number: str = field(
        metadata={
            "name": "buyerIdNumber",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    buyer_name: str = field(
        metadata={
            "name": "buyerName",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    buyer_telephone: str = field(
        metadata={
            "name": "buyerTelephone",
            "type": "Element",
            "min_length": 1,
            "max_length": 30,
        }
    )
    agent_code: str = field(
        metadata={
            "name": "agentCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    agent_name: str = field(
        metadata={
            "name": "agentName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    reason: str = field(
        metadata={
            "type": "Element",
            "min_length": 1,
            "max_length": 1000,
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
class InvtRefundList:
    """
    退货申请单表体实体.

    :ivar gnum: 对应原清单表体序号（退货项序号）
    :ivar gcode:
        按商品分类编码规则确定的进出口商品的商品编号，分为商品编号和附加编号，其中商品编号栏应填报《中华人民共和国进出口税则》8位税则号列，附加编号应填报商品编号，附加编号第9、10位。
    :ivar gname: 商品名称应据实填报，与清单一致。
    :ivar qty: 申请退货的数量，小于等于原清单的成交计量单位的数量
    :ivar unit: 海关标准的参数代码  《JGS-20 海关业务代码集》- 计量单位代码
    :ivar note: 备注
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    gnum: int = field(
        metadata={
            "type": "Element",
        }
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
            "min_length": 1,
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
    unit: str = field(
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
class InvtRefundReturn:
    """
    退货申请单回执实体.

    :ivar guid: 电子口岸生成36位唯一序号（英文字母大写）
    :ivar customs_code: 申报口岸
    :ivar agent_code: 申报单位代码,10位海关代码或者18位信用代码（兼容考虑，暂设为选填）
    :ivar ebp_code:
        电商平台的海关注册登记编号；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台标识编号为准。
    :ivar ebc_code:
        电商平台的海关注册登记编号；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台标识编号为准。
    :ivar cop_no: 企业内部标识单证的编号
    :ivar pre_no: 电子口岸标识单证的编号
    :ivar invt_no: 申请退货的原始清单编号
    :ivar return_status:
        操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/120海关入库/399海关审结）,若小于0数字表示处理异常回执
    :ivar return_time: 操作时间(格式:YYYYMMDDhhmmssSSS)
    :ivar return_info: 备注（如不通过原因）
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    customs_code: None | str = field(
        default=None,
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        },
    )
    agent_code: None | str = field(
        default=None,
        metadata={
            "name": "agentCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        },
    )
    ebp_code: None | str = field(
        default=None,
        metadata={
            "name": "ebpCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        },
    )
    ebc_code: None | str = field(
        default=None,
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        },
    )
    cop_no: str = field(
        metadata={
            "name": "copNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 20,
        }
    )
    pre_no: str = field(
        metadata={
            "name": "preNo",
            "type": "Element",
            "length": 18,
        }
    )
    invt_no: None | str = field(
        default=None,
        metadata={
            "name": "invtNo",
            "type": "Element",
            "length": 18,
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
            "min_length": 1,
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class LogisticsHead:
    """
    物流运单数据实体.

    :ivar guid: 企业系统生成36位唯一序号（英文字母大写）。
    :ivar app_type: 企业报送类型。1-新增 2-变更 3-删除。默认为1。
    :ivar app_time: 企业报送时间。格式:YYYYMMDDhhmmss。mss
    :ivar app_status: 业务状态:1-暂存,2-申报,默认为2。
    :ivar logistics_code: 物流企业的海关注册登记编号。
    :ivar logistics_name: 物流企业在海关注册登记的名称。
    :ivar logistics_no: 物流企业的运单包裹面单号。同一物流企业的运单编号在6个月内不重复。运单编号长度不能超过60位。
    :ivar bill_no: 直购进口为海运提单、空运总单或汽车载货清单
    :ivar order_no: 交易平台的订单编号，同一交易平台的订单编号应唯一。订单编号长度不能超过60位。
    :ivar freight: 商品运输费用，无则填“0”。
    :ivar insured_fee: 商品保险费用，无则填“0”。
    :ivar currency: 限定为人民币，填写“142”。
    :ivar weight: 毛重,单位为千克。
    :ivar pack_no: 单个运单下包裹数，限定为“1”。
    :ivar goods_info: 配送的商品信息，包括商品名称、数量等。
    :ivar consignee: 收货人姓名。
    :ivar consignee_address: 收货地址。
    :ivar consignee_telephone: 收货人电话号码。
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
            "min_length": 1,
            "max_length": 3,
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    logistics_name: str = field(
        metadata={
            "name": "logisticsName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
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
    order_no: str = field(
        metadata={
            "name": "orderNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    freight: None | Decimal = field(
        default=None,
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        },
    )
    insured_fee: None | Decimal = field(
        default=None,
        metadata={
            "name": "insuredFee",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        },
    )
    currency: str = field(
        init=False,
        default="142",
        metadata={
            "type": "Element",
            "length": 3,
        },
    )
    weight: Decimal = field(
        metadata={
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
    goods_info: None | str = field(
        default=None,
        metadata={
            "name": "goodsInfo",
            "type": "Element",
            "max_length": 200,
        },
    )
    consignee: str = field(
        metadata={
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    consignee_address: str = field(
        metadata={
            "name": "consigneeAddress",
            "type": "Element",
            "min_length": 1,
            "max_length": 200,
        }
    )
    consignee_telephone: str = field(
        metadata={
            "name": "consigneeTelephone",
            "type": "Element",
            "min_length": 1,
            "max_length": 50,
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
class LogisticsReturn:
    """
    物流运单回执实体.

    :ivar guid: 电子口岸生成36位唯一序号（英文字母大写）
    :ivar logistics_code: 物流企业的海关注册登记编号。
    :ivar logistics_no: 物流企业的运单包裹面单号。同一物流企业的运单编号在6个月内不重复。运单编号长度不能超过60位。
    :ivar return_status:
        操作结果（2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/120海关入库/399海关审结）,若小于0数字表示处理异常回执
    :ivar return_time: 操作时间(格式:YYYYMMDDhhmmssSSS)
    :ivar return_info: 备注（如:退单原因）
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
            "min_length": 1,
            "max_length": 18,
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "min_length": 1,
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
            "min_length": 1,
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class LogisticsStatus:
    """
    物流运单状态数据实体.

    :ivar guid: 企业系统生成36位唯一序号（英文字母大写）
    :ivar app_type: 企业报送类型。1-新增 2-变更 3-删除。默认为1。
    :ivar app_time: 企业报送时间。格式:YYYYMMDDhhmmss。mss
    :ivar app_status: 业务状态:1-暂存,2-申报,默认为2。
    :ivar logistics_code: 物流企业的海关注册登记编号。
    :ivar logistics_name: 物流企业在海关注册登记的名称。
    :ivar logistics_no: 物流企业的运单包裹面单号。同一物流企业的运单编号在6个月内不重复。运单编号长度不能超过60位。
    :ivar logistics_status: 物流签收状态，限定S
    :ivar logistics_time: 物流状态发生的实际时间。格式:YYYYMMDDhhmmss。
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
            "min_length": 1,
            "max_length": 3,
        }
    )
    logistics_code: str = field(
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    logistics_name: str = field(
        metadata={
            "name": "logisticsName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    logistics_status: str = field(
        metadata={
            "name": "logisticsStatus",
            "type": "Element",
            "length": 1,
        }
    )
    logistics_time: str = field(
        metadata={
            "name": "logisticsTime",
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
class LogisticsStatusReturn:
    """
    物流运单状态回执实体.

    :ivar guid: 电子口岸生成36位唯一序号（英文字母大写）
    :ivar logistics_code: 物流企业的海关注册登记编号。
    :ivar logistics_no: 物流企业的运单包裹面单号。同一物流企业的运单编号在6个月内不重复。运单编号长度不能超过60位。
    :ivar logistics_status: 物流签收状态，限定为S
    :ivar return_status:
        操作结果（2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/399海关审结）,若小于0数字表示处理异常回执
    :ivar return_time: 操作时间(格式:YYYYMMDDhhmmssSSS)
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
            "min_length": 1,
            "max_length": 18,
        }
    )
    logistics_no: str = field(
        metadata={
            "name": "logisticsNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    logistics_status: str = field(
        metadata={
            "name": "logisticsStatus",
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
            "min_length": 1,
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class MessageReturn:
    """
    报文格式校验回执实体.

    :ivar guid: 36位唯一序号
    :ivar return_status: 小于0数字表示报文格式校验异常。
    :ivar return_info: 回执详细信息
    :ivar return_time: 操作时间(格式:YYYYMMDDhhmmssSSS)
    :ivar ori_cop_msg_id: 原始传输报文的copMsgId
    :ivar ori_message_type: 原始报文的报文类型，如CEB311Message，未知类型为Unknown
    :ivar ori_biz_message: 原始报文内容
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
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
    return_info: str = field(
        metadata={
            "name": "returnInfo",
            "type": "Element",
            "min_length": 0,
            "max_length": 5000,
        }
    )
    return_time: str = field(
        metadata={
            "name": "returnTime",
            "type": "Element",
            "length": 17,
        }
    )
    ori_cop_msg_id: str = field(
        metadata={
            "name": "oriCopMsgId",
            "type": "Element",
            "min_length": 0,
            "max_length": 255,
        }
    )
    ori_message_type: str = field(
        metadata={
            "name": "oriMessageType",
            "type": "Element",
            "min_length": 0,
            "max_length": 15,
        }
    )
    ori_biz_message: str = field(
        metadata={
            "name": "oriBizMessage",
            "type": "Element",
            "min_length": 0,
        }
    )


@dataclass(kw_only=True)
class OrderHead:
    """
    电子订单表头实体.

    :ivar guid: 企业系统生成36位唯一序号（英文字母大写）。
    :ivar app_type: 企业报送类型。1-新增 2-变更 3-删除。默认为1。
    :ivar app_time: 企业报送时间。格式:YYYYMMDDhhmmss。mss
    :ivar app_status: 业务状态:1-暂存,2-申报,默认为2。
    :ivar order_type: 电子订单类型：I进口
    :ivar order_no: 交易平台的订单编号，同一交易平台的订单编号应唯一。订单编号长度不能超过60位。
    :ivar ebp_code:
        电商平台的海关注册登记编号；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台标识编号为准。
    :ivar ebp_name:
        电商平台的海关注册登记名称；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台名称为准。
    :ivar ebc_code: 电商企业的海关注册登记编号。
    :ivar ebc_name: 电商企业的海关注册登记名称。
    :ivar goods_value: 商品实际成交价，含非现金抵扣金额。
    :ivar freight: 不包含在商品价格中的运杂费，无则填写"0"。
    :ivar discount: 使用积分、虚拟货币、代金券等非现金支付金额，无则填写"0"。
    :ivar tax_total: 企业预先代扣的税款金额，无则填写“0”
    :ivar actural_paid: 商品价格+运杂费+代扣税款-非现金抵扣金额，与支付凭证的支付金额一致。
    :ivar currency: 限定为人民币，填写“142”。
    :ivar buyer_reg_no: 订购人的交易平台注册号。
    :ivar buyer_name: 订购人的真实姓名。
    :ivar buyer_telephone: 订购人电话。
    :ivar buyer_id_type: 1-身份证,2-其它。限定为身份证，填写“1”
    :ivar buyer_id_number: 订购人的身份证件号码。
    :ivar pay_code: 支付企业的海关注册登记编号。
    :ivar pay_name: 支付企业在海关注册登记的企业名称。
    :ivar pay_transaction_id: 支付企业唯一的支付流水号。
    :ivar batch_numbers: 商品批次号
    :ivar consignee: 收货人姓名，必须与电子运单的收货人姓名一致。
    :ivar consignee_telephone: 收货人联系电话，必须与电子运单的收货人电话一致。
    :ivar consignee_address: 收货地址，必须与电子运单的收货地址一致。
    :ivar consignee_district: 参照国家统计局公布的国家行政区划标准填制。
    :ivar note: 订单备注
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
            "min_length": 1,
            "max_length": 3,
        }
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
            "min_length": 1,
            "max_length": 60,
        }
    )
    ebp_code: str = field(
        metadata={
            "name": "ebpCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    ebp_name: str = field(
        metadata={
            "name": "ebpName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    ebc_name: str = field(
        metadata={
            "name": "ebcName",
            "type": "Element",
            "min_length": 1,
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
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    discount: Decimal = field(
        metadata={
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    tax_total: Decimal = field(
        metadata={
            "name": "taxTotal",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    actural_paid: Decimal = field(
        metadata={
            "name": "acturalPaid",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    currency: str = field(
        init=False,
        default="142",
        metadata={
            "type": "Element",
            "length": 3,
        },
    )
    buyer_reg_no: str = field(
        metadata={
            "name": "buyerRegNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    buyer_name: str = field(
        metadata={
            "name": "buyerName",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    buyer_telephone: str = field(
        metadata={
            "name": "buyerTelephone",
            "type": "Element",
            "min_length": 1,
            "max_length": 30,
        }
    )
    buyer_id_type: str = field(
        metadata={
            "name": "buyerIdType",
            "type": "Element",
            "length": 1,
        }
    )
    buyer_id_number: str = field(
        metadata={
            "name": "buyerIdNumber",
            "type": "Element",
            "min_length": 1,
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
    pay_name: None | str = field(
        default=None,
        metadata={
            "name": "payName",
            "type": "Element",
            "max_length": 100,
        },
    )
    pay_transaction_id: None | str = field(
        default=None,
        metadata={
            "name": "payTransactionId",
            "type": "Element",
            "max_length": 60,
        },
    )
    batch_numbers: None | str = field(
        default=None,
        metadata={
            "name": "batchNumbers",
            "type": "Element",
            "max_length": 100,
        },
    )
    consignee: str = field(
        metadata={
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    consignee_telephone: str = field(
        metadata={
            "name": "consigneeTelephone",
            "type": "Element",
            "min_length": 1,
            "max_length": 50,
        }
    )
    consignee_address: str = field(
        metadata={
            "name": "consigneeAddress",
            "type": "Element",
            "min_length": 1,
            "max_length": 200,
        }
    )
    consignee_district: None | str = field(
        default=None,
        metadata={
            "name": "consigneeDistrict",
            "type": "Element",
            "length": 6,
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
class OrderList:
    """
    电子订单商品实体.

    :ivar gnum: 从1开始的递增序号。
    :ivar item_no: 电商企业自定义的商品货号（SKU）。
    :ivar item_name: 交易平台销售商品的中文名称。
    :ivar gmodel: 满足海关归类、审价以及监管的要求为准。包括：品名、牌名、规格、型号、成份、含量、等级等。
    :ivar item_describe: 交易平台销售商品的描述信息。
    :ivar bar_code: 国际通用的商品条形码，一般由前缀部分、制造厂商代码、商品代码和校验码组成。
    :ivar unit: 填写海关标准的参数代码，参照《JGS-20 海关业务代码集》- 计量单位代码。
    :ivar qty: 商品实际数量。
    :ivar price: 商品单价。赠品单价填写为“0”。
    :ivar total_price: 商品总价，等于单价乘以数量。
    :ivar currency: 限定为人民币，填写“142”。
    :ivar country: 填写海关标准的参数代码，参照《JGS-20 海关业务代码集》-国家（地区）代码表。
    :ivar note: 促销活动，商品单价偏离市场价格的，可以在此说明。
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    gnum: int = field(
        metadata={
            "type": "Element",
        }
    )
    item_no: None | str = field(
        default=None,
        metadata={
            "name": "itemNo",
            "type": "Element",
            "max_length": 30,
        },
    )
    item_name: str = field(
        metadata={
            "name": "itemName",
            "type": "Element",
            "min_length": 1,
            "max_length": 250,
        }
    )
    gmodel: str = field(
        metadata={
            "type": "Element",
            "min_length": 1,
            "max_length": 510,
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
    currency: str = field(
        init=False,
        default="142",
        metadata={
            "type": "Element",
            "length": 3,
        },
    )
    country: str = field(
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
class OrderReturn:
    """
    电子订单回执实体.

    :ivar guid: 电子口岸系统生成36位唯一序号（英文字母大写）
    :ivar ebp_code:
        电商平台的海关注册登记编号；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台标识编号为准。
    :ivar ebc_code: 电商企业的海关注册登记编号。
    :ivar order_no: 交易平台的订单编号，同一交易平台的订单编号应唯一。订单编号长度不能超过60位。
    :ivar return_status:
        操作结果（2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/120海关入库/399海关审结）,若小于0数字表示处理异常回执
    :ivar return_time: 操作时间(格式:YYYYMMDDhhmmssSSS)
    :ivar return_info: 备注（如:退单原因）
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
            "min_length": 1,
            "max_length": 18,
        }
    )
    ebc_code: str = field(
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    order_no: str = field(
        metadata={
            "name": "orderNo",
            "type": "Element",
            "min_length": 1,
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
            "min_length": 1,
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class PaymentHead:
    """
    支付凭证数据实体.

    :ivar guid: 企业系统生成36位唯一序号（英文字母大写）。
    :ivar app_type: 企业报送类型。1-新增 2-变更 3-删除。默认为1。
    :ivar app_time: 企业报送时间。格式:YYYYMMDDhhmmss。mss
    :ivar app_status: 业务状态:1-暂存,2-申报,默认为2。
    :ivar pay_code: 支付企业的海关注册登记编号。
    :ivar pay_name: 支付企业在海关注册登记的名称。
    :ivar pay_transaction_id: 支付企业唯一的支付流水号。
    :ivar order_no: 交易平台的订单编号，同一交易平台的订单编号应唯一。订单编号长度不能超过60位。
    :ivar ebp_code:
        电商平台的海关注册登记编号；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台标识编号为准。
    :ivar ebp_name:
        电商平台的海关注册登记名称；电商平台未在海关注册登记，由电商企业发送订单的，以中国电子口岸发布的电商平台名称为准。
    :ivar payer_id_type: 1-身份证,2-其它。限定为身份证，填写“1”。
    :ivar payer_id_number: 支付人证件号码
    :ivar payer_name: 支付人的身份证件号码。
    :ivar telephone: 支付人电话
    :ivar amount_paid: 支付金额
    :ivar currency: 限定为人民币，填写“142”。
    :ivar pay_time: 支付时间，格式:YYYYMMDDhhmmss。hm
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
            "min_length": 1,
            "max_length": 3,
        }
    )
    pay_code: str = field(
        metadata={
            "name": "payCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    pay_name: str = field(
        metadata={
            "name": "payName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    pay_transaction_id: str = field(
        metadata={
            "name": "payTransactionId",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    order_no: str = field(
        metadata={
            "name": "orderNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    ebp_code: str = field(
        metadata={
            "name": "ebpCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    ebp_name: str = field(
        metadata={
            "name": "ebpName",
            "type": "Element",
            "min_length": 1,
            "max_length": 100,
        }
    )
    payer_id_type: str = field(
        metadata={
            "name": "payerIdType",
            "type": "Element",
            "length": 1,
        }
    )
    payer_id_number: str = field(
        metadata={
            "name": "payerIdNumber",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    payer_name: str = field(
        metadata={
            "name": "payerName",
            "type": "Element",
            "min_length": 1,
            "max_length": 60,
        }
    )
    telephone: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "max_length": 60,
        },
    )
    amount_paid: Decimal = field(
        metadata={
            "name": "amountPaid",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    currency: str = field(
        init=False,
        default="142",
        metadata={
            "type": "Element",
            "length": 3,
        },
    )
    pay_time: str = field(
        metadata={
            "name": "payTime",
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
class PaymentReturn:
    """
    支付凭证回执实体.

    :ivar guid: 电子口岸生成36位唯一序号（英文字母大写）
    :ivar pay_code: 支付企业的海关注册登记编号。
    :ivar pay_transaction_id: 支付企业唯一的支付流水号。
    :ivar return_status:
        操作结果（2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/120海关入库/399海关审结）,若小于0数字表示处理异常回执
    :ivar return_time: 操作时间(格式:YYYYMMDDhhmmssSSS)
    :ivar return_info: 备注（如:退单原因）
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    pay_code: str = field(
        metadata={
            "name": "payCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    pay_transaction_id: str = field(
        metadata={
            "name": "payTransactionId",
            "type": "Element",
            "min_length": 1,
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
            "min_length": 1,
            "max_length": 1000,
        }
    )


@dataclass(kw_only=True)
class TaxHeadRd:
    """
    电子税单表头实体.

    :ivar guid: 36位系统唯一序号（英文字母大写）
    :ivar return_time: 回执时间,格式:YYYYMMDDhhmmssSSS
    :ivar invt_no: 进境清单编号，海关审结生成标识清单的编号（4位关区+4位年+1位进出口标记+9位流水号）
    :ivar tax_no: 电子税单编号
    :ivar customs_tax: 应征关税
    :ivar value_added_tax: 应征增值税
    :ivar consumption_tax: 应征消费税
    :ivar status: 税单状态（(1-已生成，2-已汇总   3-作废)）
    :ivar ent_duty_no: 缴款书编号
    :ivar note: 备注
    :ivar assure_code: 担保企业代码
    :ivar ebc_code: 电商企业代码
    :ivar logistics_code: 物流企业代码
    :ivar agent_code: 申报单位代码,10位海关代码或者18位信用代码
    :ivar customs_code: 申报口岸
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    return_time: str = field(
        metadata={
            "name": "returnTime",
            "type": "Element",
            "length": 17,
        }
    )
    invt_no: str = field(
        metadata={
            "name": "invtNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    tax_no: str = field(
        metadata={
            "name": "taxNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 50,
        }
    )
    customs_tax: Decimal = field(
        metadata={
            "name": "customsTax",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    value_added_tax: Decimal = field(
        metadata={
            "name": "valueAddedTax",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    consumption_tax: Decimal = field(
        metadata={
            "name": "consumptionTax",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    status: str = field(
        metadata={
            "type": "Element",
            "length": 1,
        }
    )
    ent_duty_no: None | str = field(
        default=None,
        metadata={
            "name": "entDutyNo",
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
    assure_code: None | str = field(
        default=None,
        metadata={
            "name": "assureCode",
            "type": "Element",
            "max_length": 64,
        },
    )
    ebc_code: None | str = field(
        default=None,
        metadata={
            "name": "ebcCode",
            "type": "Element",
            "max_length": 64,
        },
    )
    logistics_code: None | str = field(
        default=None,
        metadata={
            "name": "logisticsCode",
            "type": "Element",
            "max_length": 64,
        },
    )
    agent_code: None | str = field(
        default=None,
        metadata={
            "name": "agentCode",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        },
    )
    customs_code: None | str = field(
        default=None,
        metadata={
            "name": "customsCode",
            "type": "Element",
            "length": 4,
        },
    )


@dataclass(kw_only=True)
class TaxHeadStatus:
    """
    电子税单状态表头实体.

    :ivar guid: 36位系统唯一序号（英文字母大写）
    :ivar return_time: 回执时间,格式:YYYYMMDDhhmmssSSS
    :ivar invt_no: 进境清单编号，海关审结生成标识清单的编号（4位关区+4位年+1位进出口标记+9位流水号）
    :ivar tax_no: 电子税单编号
    :ivar status: 税单状态（(1-已生成，2-已汇总   3-作废)）
    :ivar ent_duty_no: 缴款书编号
    :ivar assure_code: 担保企业代码
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    guid: str = field(
        metadata={
            "type": "Element",
            "length": 36,
        }
    )
    return_time: str = field(
        metadata={
            "name": "returnTime",
            "type": "Element",
            "length": 17,
        }
    )
    invt_no: str = field(
        metadata={
            "name": "invtNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 18,
        }
    )
    tax_no: str = field(
        metadata={
            "name": "taxNo",
            "type": "Element",
            "min_length": 1,
            "max_length": 50,
        }
    )
    status: str = field(
        metadata={
            "type": "Element",
            "length": 1,
        }
    )
    ent_duty_no: None | str = field(
        default=None,
        metadata={
            "name": "entDutyNo",
            "type": "Element",
            "max_length": 50,
        },
    )
    assure_code: None | str = field(
        default=None,
        metadata={
            "name": "assureCode",
            "type": "Element",
            "max_length": 64,
        },
    )


@dataclass(kw_only=True)
class TaxListRd:
    """
    电子税单表体实体.

    :ivar gnum: 商品项号,从1开始连续序号
    :ivar gcode: 海关商品编码（10位）
    :ivar tax_price: 完税总价格
    :ivar customs_tax: 应征关税
    :ivar value_added_tax: 应征增值税
    :ivar consumption_tax: 应征消费税
    """

    class Meta:
        namespace = "http://www.chinaport.gov.cn/ceb"

    gnum: int = field(
        metadata={
            "type": "Element",
        }
    )
    gcode: str = field(
        metadata={
            "type": "Element",
            "length": 10,
        }
    )
    tax_price: Decimal = field(
        metadata={
            "name": "taxPrice",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    customs_tax: Decimal = field(
        metadata={
            "name": "customsTax",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    value_added_tax: Decimal = field(
        metadata={
            "name": "valueAddedTax",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
        }
    )
    consumption_tax: Decimal = field(
        metadata={
            "name": "consumptionTax",
            "type": "Element",
            "total_digits": 19,
            "fraction_digits": 5,
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
class Ceb312Message:
    """
    电子订单回执报文（电商企业或电商平台或受委托的快件运营人、邮政企业）.

    :ivar order_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB312Message"
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
class Ceb412Message:
    """
    支付凭证回执报文（支付企业或受委托的快件运营人、邮政企业）.

    :ivar payment_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB412Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    payment_return: list[PaymentReturn] = field(
        default_factory=list,
        metadata={
            "name": "PaymentReturn",
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
class Ceb512Message:
    """
    物流运单回执报文（物流企业）.

    :ivar logistics_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB512Message"
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
class Ceb514Message:
    """
    物流运单状态回执报文（物流企业）.

    :ivar logistics_status_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB514Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    logistics_status_return: list[LogisticsStatusReturn] = field(
        default_factory=list,
        metadata={
            "name": "LogisticsStatusReturn",
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
class Ceb622Message:
    """
    进口清单回执报文（电商企业或其代理人）.

    :ivar inventory_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB622Message"
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
class Ceb624Message:
    """
    撤销申请单回执报文（电商企业或其代理人）.

    :ivar invt_cancel_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB624Message"
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
class Ceb626Message:
    """
    退货申请单回执报文（电商企业或其代理人）.

    :ivar invt_refund_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB626Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    invt_refund_return: list[InvtRefundReturn] = field(
        default_factory=list,
        metadata={
            "name": "InvtRefundReturn",
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
class Ceb712Message:
    """
    入库明细单回执报文（海关监管作业场所经营企业）.

    :ivar delivery_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB712Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    delivery_return: list[DeliveryReturn] = field(
        default_factory=list,
        metadata={
            "name": "DeliveryReturn",
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
class Ceb816Message:
    """
    电子税单数据报文.

    :ivar tax:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB816Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    tax: list[Ceb816Message.Tax] = field(
        default_factory=list,
        metadata={
            "name": "Tax",
            "type": "Element",
            "min_occurs": 1,
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
    class Tax:
        tax_head_rd: TaxHeadRd = field(
            metadata={
                "name": "TaxHeadRd",
                "type": "Element",
            }
        )
        tax_list_rd: list[TaxListRd] = field(
            default_factory=list,
            metadata={
                "name": "TaxListRd",
                "type": "Element",
                "min_occurs": 1,
                "max_occurs": 99,
            },
        )


@dataclass(kw_only=True)
class Ceb818Message:
    """
    电子税单状态报文.

    :ivar tax:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB818Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    tax: list[Ceb818Message.Tax] = field(
        default_factory=list,
        metadata={
            "name": "Tax",
            "type": "Element",
            "min_occurs": 1,
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
    class Tax:
        tax_head_status: TaxHeadStatus = field(
            metadata={
                "name": "TaxHeadStatus",
                "type": "Element",
            }
        )


@dataclass(kw_only=True)
class Ceb900Message:
    """
    报文格式校验回执报文.

    :ivar message_return:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB900Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    message_return: MessageReturn = field(
        metadata={
            "name": "MessageReturn",
            "type": "Element",
        }
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
class Ceb311Message:
    """
    电子订单数据报文（ 电商企业或电商平台或受委托的快件运营人、邮政企业）.

    :ivar order:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar extend_message:
    :ivar signature:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB311Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    order: list[Ceb311Message.Order] = field(
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
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
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
    class Order:
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
                "max_occurs": 99,
            },
        )


@dataclass(kw_only=True)
class Ceb411Message:
    """
    支付凭证数据报文（支付企业或受委托的快件运营人、邮政企业）.

    :ivar payment:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar extend_message:
    :ivar signature:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB411Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    payment: list[Ceb411Message.Payment] = field(
        default_factory=list,
        metadata={
            "name": "Payment",
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
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
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
    class Payment:
        payment_head: PaymentHead = field(
            metadata={
                "name": "PaymentHead",
                "type": "Element",
            }
        )


@dataclass(kw_only=True)
class Ceb511Message:
    """
    物流运单数据报文（物流企业）.

    :ivar logistics:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar extend_message:
    :ivar signature:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB511Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    logistics: list[Ceb511Message.Logistics] = field(
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
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
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
    class Logistics:
        logistics_head: LogisticsHead = field(
            metadata={
                "name": "LogisticsHead",
                "type": "Element",
            }
        )


@dataclass(kw_only=True)
class Ceb513Message:
    """
    物流运单状态数据报文（物流企业）.

    :ivar logistics_status:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar extend_message:
    :ivar signature:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB513Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    logistics_status: list[LogisticsStatus] = field(
        default_factory=list,
        metadata={
            "name": "LogisticsStatus",
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
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
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
class Ceb621Message:
    """
    进口清单数据报文（电商企业或其代理人）.

    :ivar inventory:
    :ivar base_transfer:
    :ivar base_subscribe: 基础回执订阅实体
    :ivar extend_message:
    :ivar signature:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB621Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    inventory: list[Ceb621Message.Inventory] = field(
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
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
        },
    )
    signature: Signature = field(
        metadata={
            "name": "Signature",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        }
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
    class Inventory:
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
                "max_occurs": 99,
            },
        )


@dataclass(kw_only=True)
class Ceb623Message:
    """
    撤销申请单数据报文（电商企业或其代理人）.

    :ivar invt_cancel: 撤销申请单
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar extend_message:
    :ivar signature:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB623Message"
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
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
        },
    )
    signature: Signature = field(
        metadata={
            "name": "Signature",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        }
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
class Ceb625Message:
    """
    退货申请单数据报文（电商企业或其代理人）.

    :ivar invt_refund:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar extend_message:
    :ivar signature:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB625Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    invt_refund: list[Ceb625Message.InvtRefund] = field(
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
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
        },
    )
    signature: Signature = field(
        metadata={
            "name": "Signature",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        }
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
    class InvtRefund:
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
                "max_occurs": 99,
            },
        )


@dataclass(kw_only=True)
class Ceb711Message:
    """
    入库明细单数据报文（海关监管作业场所经营企业）.

    :ivar delivery:
    :ivar base_transfer:
    :ivar base_subscribe:
    :ivar extend_message:
    :ivar signature:
    :ivar guid: 报文的36位系统唯一序号（英文字母大写）
    :ivar version: 报文版本号 默认1.0
    """

    class Meta:
        name = "CEB711Message"
        namespace = "http://www.chinaport.gov.cn/ceb"

    delivery: Ceb711Message.Delivery = field(
        metadata={
            "name": "Delivery",
            "type": "Element",
        }
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
    extend_message: None | ExtendMessage = field(
        default=None,
        metadata={
            "name": "ExtendMessage",
            "type": "Element",
        },
    )
    signature: Signature = field(
        metadata={
            "name": "Signature",
            "type": "Element",
            "namespace": "http://www.w3.org/2000/09/xmldsig#",
        }
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
    class Delivery:
        delivery_head: DeliveryHead = field(
            metadata={
                "name": "DeliveryHead",
                "type": "Element",
            }
        )
        delivery_list: list[DeliveryList] = field(
            default_factory=list,
            metadata={
                "name": "DeliveryList",
                "type": "Element",
                "min_occurs": 1,
            },
        )
