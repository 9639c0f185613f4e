/**
 * The WSDL Salesforce generates ("Click for WSDL") for an outbound message on Opportunity
 * with the fields the bundled metadata chooses. Served on `?wsdl` when no WSDL is configured.
 * Its shape follows Salesforce's generator: enterprise `ID` type, the typed sObject extending
 * `ens:sObject`, `notifications` with 1..100 `Notification`, and `notificationsResponse/Ack`.
 */
export const DEFAULT_OUTBOUND_WSDL = `<?xml version="1.0" encoding="UTF-8"?>
<definitions targetNamespace="http://soap.sforce.com/2005/09/outbound"
             xmlns="http://schemas.xmlsoap.org/wsdl/"
             xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
             xmlns:xsd="http://www.w3.org/2001/XMLSchema"
             xmlns:ent="urn:enterprise.soap.sforce.com"
             xmlns:ens="urn:sobject.enterprise.soap.sforce.com"
             xmlns:tns="http://soap.sforce.com/2005/09/outbound">
    <types>
        <schema elementFormDefault="qualified" xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:enterprise.soap.sforce.com">
            <!-- Our simple ID Type -->
            <simpleType name="ID">
                <restriction base="xsd:string">
                    <length value="18"/>
                    <pattern value='[a-zA-Z0-9]{18}'/>
                </restriction>
            </simpleType>
        </schema>
        <schema elementFormDefault="qualified" xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:sobject.enterprise.soap.sforce.com">
            <import namespace="urn:enterprise.soap.sforce.com"/>
            <!-- Base sObject (abstract) -->
            <complexType name="sObject">
                <sequence>
                    <element name="fieldsToNull" type="xsd:string" nillable="true" minOccurs="0" maxOccurs="unbounded"/>
                    <element name="Id" type="ent:ID" nillable="true"/>
                </sequence>
            </complexType>
            <complexType name="Opportunity">
                <complexContent>
                    <extension base="ens:sObject">
                        <sequence>
                            <element name="AccountId" nillable="true" minOccurs="0" type="ent:ID"/>
                            <element name="Amount" nillable="true" minOccurs="0" type="xsd:double"/>
                            <element name="CloseDate" nillable="true" minOccurs="0" type="xsd:date"/>
                            <element name="Name" nillable="true" minOccurs="0" type="xsd:string"/>
                            <element name="Order_Number__c" nillable="true" minOccurs="0" type="xsd:string"/>
                            <element name="Order_Status__c" nillable="true" minOccurs="0" type="xsd:string"/>
                            <element name="StageName" nillable="true" minOccurs="0" type="xsd:string"/>
                        </sequence>
                    </extension>
                </complexContent>
            </complexType>
        </schema>
        <schema elementFormDefault="qualified" xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="http://soap.sforce.com/2005/09/outbound">
            <import namespace="urn:enterprise.soap.sforce.com"/>
            <import namespace="urn:sobject.enterprise.soap.sforce.com"/>
            <element name="notifications">
                <complexType>
                    <sequence>
                        <element name="OrganizationId" type="ent:ID"/>
                        <element name="ActionId" type="ent:ID"/>
                        <element name="SessionId" type="xsd:string" nillable="true"/>
                        <element name="EnterpriseUrl" type="xsd:string"/>
                        <element name="PartnerUrl" type="xsd:string"/>
                        <element name="Notification" maxOccurs="100" type="tns:OpportunityNotification"/>
                    </sequence>
                </complexType>
            </element>
            <complexType name="OpportunityNotification">
                <sequence>
                    <element name="Id" type="ent:ID"/>
                    <element name="sObject" type="ens:Opportunity"/>
                </sequence>
            </complexType>
            <element name="notificationsResponse">
                <complexType>
                    <sequence>
                        <element name="Ack" type="xsd:boolean"/>
                    </sequence>
                </complexType>
            </element>
        </schema>
    </types>
    <!-- Method Messages -->
    <message name="notificationsRequest">
        <part element="tns:notifications" name="request"/>
    </message>
    <message name="notificationsResponse">
        <part element="tns:notificationsResponse" name="response"/>
    </message>
    <!-- PortType -->
    <portType name="NotificationPort">
        <operation name="notifications">
            <documentation>Process a number of notifications.</documentation>
            <input message="tns:notificationsRequest"/>
            <output message="tns:notificationsResponse"/>
        </operation>
    </portType>
    <!-- Binding: a service that implements it receives the notifications -->
    <binding name="NotificationBinding" type="tns:NotificationPort">
        <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
        <operation name="notifications">
            <soap:operation soapAction=""/>
            <input>
                <soap:body use="literal"/>
            </input>
            <output>
                <soap:body use="literal"/>
            </output>
        </operation>
    </binding>
    <!-- Service Endpoint -->
    <service name="NotificationService">
        <documentation>Notification Service Implementation</documentation>
        <port binding="tns:NotificationBinding" name="Notification">
            <soap:address location="http://localhost/soap/outbound"/>
        </port>
    </service>
</definitions>
`;
