"""Example CEB messages for the API's documentation (OpenAPI ``example`` of the XML bodies):
a minimal CEB311 order and the CEB312 receipt that accepts it, both valid against the
official 202205 schema and the business rules (the buyer's ID is GB 11643's own example)."""

CEB311_EXAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb"
    guid="4CDE1CFD-EDED-46B1-946C-B8022E42FC94" version="1.0">
  <ceb:Order>
    <ceb:OrderHead>
      <ceb:guid>4CDE1CFD-EDED-46B1-946C-B8022E42FC94</ceb:guid>
      <ceb:appType>1</ceb:appType>
      <ceb:appTime>20260301100000</ceb:appTime>
      <ceb:appStatus>2</ceb:appStatus>
      <ceb:orderType>I</ceb:orderType>
      <ceb:orderNo>SM00000001</ceb:orderNo>
      <ceb:ebpCode>3301960001</ceb:ebpCode>
      <ceb:ebpName>示例电商平台有限公司</ceb:ebpName>
      <ceb:ebcCode>4403960002</ceb:ebcCode>
      <ceb:ebcName>示例电商企业有限公司</ceb:ebcName>
      <ceb:goodsValue>258.00</ceb:goodsValue>
      <ceb:freight>20.00</ceb:freight>
      <ceb:discount>0.00</ceb:discount>
      <ceb:taxTotal>23.80</ceb:taxTotal>
      <ceb:acturalPaid>301.80</ceb:acturalPaid>
      <ceb:currency>142</ceb:currency>
      <ceb:buyerRegNo>u0001</ceb:buyerRegNo>
      <ceb:buyerName>张三</ceb:buyerName>
      <ceb:buyerTelephone>13800000000</ceb:buyerTelephone>
      <ceb:buyerIdType>1</ceb:buyerIdType>
      <ceb:buyerIdNumber>11010519491231002X</ceb:buyerIdNumber>
      <ceb:consignee>张三</ceb:consignee>
      <ceb:consigneeTelephone>13800000000</ceb:consigneeTelephone>
      <ceb:consigneeAddress>北京市东城区示例路1号</ceb:consigneeAddress>
    </ceb:OrderHead>
    <ceb:OrderList>
      <ceb:gnum>1</ceb:gnum>
      <ceb:itemNo>SKU-1</ceb:itemNo>
      <ceb:itemName>移动电源 10000mAh</ceb:itemName>
      <ceb:gmodel>10000mAh</ceb:gmodel>
      <ceb:unit>007</ceb:unit>
      <ceb:qty>2</ceb:qty>
      <ceb:price>129.00</ceb:price>
      <ceb:totalPrice>258.00</ceb:totalPrice>
      <ceb:currency>142</ceb:currency>
      <ceb:country>142</ceb:country>
    </ceb:OrderList>
  </ceb:Order>
  <ceb:BaseTransfer>
    <ceb:copCode>3301960001</ceb:copCode>
    <ceb:copName>示例电商平台有限公司</ceb:copName>
    <ceb:dxpMode>DXP</ceb:dxpMode>
    <ceb:dxpId>DXPENT0000000001</ceb:dxpId>
  </ceb:BaseTransfer>
</ceb:CEB311Message>
"""
CEB312_EXAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<ceb:CEB312Message xmlns:ceb="http://www.chinaport.gov.cn/ceb"
    guid="4CDE1CFD-EDED-46B1-946C-B8022E42FC94" version="1.0">
  <ceb:OrderReturn>
    <ceb:guid>4CDE1CFD-EDED-46B1-946C-B8022E42FC94</ceb:guid>
    <ceb:ebpCode>3301960001</ceb:ebpCode>
    <ceb:ebcCode>4403960002</ceb:ebcCode>
    <ceb:orderNo>SM00000001</ceb:orderNo>
    <ceb:returnStatus>120</ceb:returnStatus>
    <ceb:returnTime>20260301103000000</ceb:returnTime>
    <ceb:returnInfo>入库成功</ceb:returnInfo>
  </ceb:OrderReturn>
</ceb:CEB312Message>
"""
